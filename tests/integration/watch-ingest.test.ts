import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { TOKEN_CACHE_MS } from "@/lib/auth/api-token-cache";
import { issueApiToken, requireApiTokenUser, revokeApiToken } from "@/lib/auth/api-tokens";
import { recordWatchBatch } from "@/lib/watch/record";
import type { WatchBatch } from "@/lib/watch/schemas";
import { createCourseWorld, insertVideo } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

// The watch ingest's hot path: access is read with the progress row lock (no separate load), bearer tokens come
// from a short-lived in-process cache. What may never go stale, does not.

const { sql, close } = testDatabase();
afterAll(() => close());

function viewing(actor: { id: string }, videoId: string) {
  const sessionId = randomUUID();
  const start = Date.parse("2026-12-01T10:00:00Z");
  let sequence = 0;
  return (intervals: [number, number][]) => {
    const batch: WatchBatch = { sessionId, sequence, position: intervals.at(-1)?.[1] ?? 0, intervals, playbackRate: 1 };
    sequence++;
    return recordWatchBatch({ actor, videoId, batch, now: new Date(start + sequence * 10_000) });
  };
}

const stored = async (videoId: string) => ({
  progress: await sql`select intervals, watched_seconds, position from watch_progress where video_id = ${videoId}`,
  sessions: await sql`select last_sequence, batches, watched_seconds from watch_sessions where video_id = ${videoId}`,
});

describe("watch batches check access in the transaction that writes", () => {
  it("a learner no longer a member (their progress row still there) has their next batch refused, 404, nothing written", async () => {
    const world = await createCourseWorld(sql);
    const learner = world.first("viewer");
    const videoId = await insertVideo(sql, world.courseId);
    const send = viewing(learner, videoId);
    await send([[0, 10]]);
    await send([[10, 20]]);
    const before = await stored(videoId);
    // As a removal racing with a batch would leave it: the membership gone, the progress row not yet.
    await sql`delete from course_members where course_id = ${world.courseId} and user_id = ${learner.id}`;
    await expect(send([[20, 30]])).rejects.toMatchObject({ status: 404 });
    expect(await stored(videoId)).toEqual(before);
  });

  it("a deleted video, a replaced video's new duration and a video hidden again count from the next batch on", async () => {
    const world = await createCourseWorld(sql);
    const learner = world.first("viewer");
    const deleted = await insertVideo(sql, world.courseId);
    const onDeleted = viewing(learner, deleted);
    await onDeleted([[0, 10]]);
    await sql`update videos set deleted_at = now() where id = ${deleted}`;
    await expect(onDeleted([[10, 20]])).rejects.toMatchObject({ status: 404 });

    const replaced = await insertVideo(sql, world.courseId, { duration: 100 });
    const onReplaced = viewing(learner, replaced);
    await onReplaced([[0, 10]]);
    await sql`update videos set duration_seconds = 15 where id = ${replaced}`;
    await expect(onReplaced([[14, 24]])).rejects.toMatchObject({ status: 400, code: "validation_error" });
    expect(await onReplaced([[10, 15]])).toMatchObject({ durationSeconds: 15, watchedSeconds: 15, completed: true });

    // No longer watchable (a viewer does not see it): refused like any hidden video.
    await sql`update videos set status = 'processing' where id = ${replaced}`;
    await expect(onReplaced([[0, 5]])).rejects.toMatchObject({ status: 404 });
  });
});

describe("the cached bearer token of the watch route", () => {
  it("is reused for seconds (not looked up again) and forgotten at once when revoked in this process", async () => {
    const world = await createCourseWorld(sql);
    const learner = world.first("viewer");
    const { token, id } = await issueApiToken({ userId: learner.id, name: "player" });
    expect(await requireApiTokenUser({ token, cached: true })).toMatchObject({ id: learner.id });

    // Revoked behind this process's back (another server process, say): the cache still answers, for seconds.
    await sql`update api_tokens set revoked_at = now() where id = ${id}`;
    expect(TOKEN_CACHE_MS).toBeLessThanOrEqual(15_000);
    expect(await requireApiTokenUser({ token, cached: true })).toMatchObject({ id: learner.id });
    await expect(requireApiTokenUser({ token })).rejects.toMatchObject({ status: 401 });

    // Revoked here: refused at once, cached or not.
    const { token: second, id: secondId } = await issueApiToken({ userId: learner.id, name: "tablet" });
    expect(await requireApiTokenUser({ token: second, cached: true })).toMatchObject({ id: learner.id });
    await revokeApiToken({ tokenId: secondId, userId: learner.id });
    await expect(requireApiTokenUser({ token: second, cached: true })).rejects.toMatchObject({ status: 401, message: expect.stringContaining("revoked") });
  });

  it("never outlives the token's expiry", async () => {
    const world = await createCourseWorld(sql);
    const learner = world.first("viewer");
    const { token, id } = await issueApiToken({ userId: learner.id, name: "short" });
    await sql`update api_tokens set expires_at = now() + interval '400 milliseconds' where id = ${id}`;
    expect(await requireApiTokenUser({ token, cached: true })).toMatchObject({ id: learner.id });
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(requireApiTokenUser({ token, cached: true })).rejects.toMatchObject({ status: 401, message: expect.stringContaining("expired") });
  });
});
