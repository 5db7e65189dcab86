import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { removeMember } from "@/lib/courses/members";
import { storage } from "@/lib/storage";
import { sweep } from "@/lib/videos/sweeper";
import { getVideoAnalytics } from "@/lib/watch/analytics";
import { courseProgressCsv, courseProgressCsvStream, getCourseProgress } from "@/lib/watch/course-progress";
import { getVideoProgress, progressForVideos, unfinishedVideos } from "@/lib/watch/progress";
import { recordWatchBatch } from "@/lib/watch/record";
import type { WatchBatch } from "@/lib/watch/schemas";
import { createCourseWorld, createUser, insertVideo } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();
afterAll(() => close());

/** A viewing session whose batches each come `every` seconds after the previous (the clock is passed in). */
function session(actor: { id: string }, videoId: string, { start = new Date("2026-12-01T10:00:00Z"), every = 10 } = {}) {
  const sessionId = randomUUID();
  let sequence = 0;
  return {
    sessionId,
    /** `arrivesAfter`: the batch reaches the server a second after the one with that sequence (it was overtaken). */
    send(
      intervals: [number, number][],
      { playbackRate = 1, position = intervals.at(-1)?.[1] ?? 0, sequenceOverride, arrivesAfter }: { playbackRate?: number; position?: number; sequenceOverride?: number; arrivesAfter?: number } = {},
    ) {
      const seq = sequenceOverride ?? sequence++;
      const batch: WatchBatch = { sessionId, sequence: seq, position, intervals, playbackRate };
      const at = arrivesAfter === undefined ? (seq + 1) * every * 1000 : (arrivesAfter + 1) * every * 1000 + 1000;
      return recordWatchBatch({ actor, videoId, batch, now: new Date(start.getTime() + at) });
    },
  };
}

const rows = async (videoId: string) => ({
  progress: await sql`select * from watch_progress where video_id = ${videoId}`,
  sessions: await sql`select * from watch_sessions where video_id = ${videoId}`,
});

describe("recording watching", () => {
  it("merges unique seconds: rewatching and 2x speed never inflate completion; session totals count every pass", async () => {
    const world = await createCourseWorld(sql);
    const learner = world.first("viewer");
    const videoId = await insertVideo(sql, world.courseId, { duration: 100 });
    const first = session(learner, videoId);
    await first.send([[0, 10]]);
    await first.send([[10, 20]]);
    // Back to the start and the same 20 s again.
    await first.send([[0, 10]]);
    const again = await first.send([[10, 20]]);
    expect(again).toMatchObject({ watchedSeconds: 20, watchedShare: 0.2, completed: false, position: 20 });

    // At 2x, 20 s of video per 10 s batch.
    const fast = session(learner, videoId);
    for (let from = 20; from < 80; from += 20) await fast.send([[from, from + 20]], { playbackRate: 2 });
    const progress = await getVideoProgress({ actor: learner, videoId });
    expect(progress).toMatchObject({ watchedSeconds: 80, watchedShare: 0.8, completed: false, position: 80 });
    const done = await fast.send([[80, 92]], { playbackRate: 2 });
    expect(done).toMatchObject({ completed: true, completedAt: expect.any(String), watchedSeconds: 92 });

    const { progress: [row], sessions } = await rows(videoId);
    expect(row?.intervals).toEqual([[0, 92]]);
    expect(sessions.map((s) => s.watched_seconds).sort()).toEqual([40, 72]);
  });

  it("a replayed batch (same session and sequence) changes nothing", async () => {
    const world = await createCourseWorld(sql);
    const learner = world.first("viewer");
    const videoId = await insertVideo(sql, world.courseId);
    const viewing = session(learner, videoId);
    await viewing.send([[0, 10]]);
    const before = await rows(videoId);
    // The same sequence again, even with other intervals, and an older one.
    const replay = await viewing.send([[50, 60]], { sequenceOverride: 0 });
    expect(replay).toMatchObject({ watchedSeconds: 10, position: 10 });
    expect(await rows(videoId)).toEqual(before);
    await viewing.send([[10, 20]], { sequenceOverride: 1 });
    await viewing.send([[10, 20]], { sequenceOverride: 1 });
    const { sessions } = await rows(videoId);
    expect(sessions[0]).toMatchObject({ last_sequence: 1, batches: 2, watched_seconds: 20 });
  });

  it("a batch overtaken by a newer one (a beacon sent on leaving) still counts, once, and the resume point stays the newer one's", async () => {
    const world = await createCourseWorld(sql);
    const learner = world.first("viewer");
    const videoId = await insertVideo(sql, world.courseId, { duration: 100 });
    const viewing = session(learner, videoId);
    await viewing.send([[0, 10]]);
    // Batch 1 is still under way when batch 2 arrives.
    await viewing.send([[20, 30]], { sequenceOverride: 2 });
    expect(await viewing.send([[10, 20]], { sequenceOverride: 1, arrivesAfter: 2 })).toMatchObject({ watchedSeconds: 30, position: 30 });
    expect(await viewing.send([[10, 20]], { sequenceOverride: 1, arrivesAfter: 2 })).toMatchObject({ watchedSeconds: 30, position: 30 });
    expect((await rows(videoId)).sessions[0]).toMatchObject({ last_sequence: 2, batches: 3, watched_seconds: 30 });
    expect((await rows(videoId)).progress[0]?.intervals).toEqual([[0, 30]]);

    // A late batch is held to what the whole session can have played.
    await viewing.send([[30, 40]], { sequenceOverride: 5 });
    await expect(viewing.send([[40, 100]], { sequenceOverride: 3, arrivesAfter: 5 })).rejects.toMatchObject({ status: 400, code: "validation_error" });
    expect((await rows(videoId)).sessions[0]).toMatchObject({ last_sequence: 5, batches: 4, watched_seconds: 40 });
  });

  it("refuses absurd batches with 400 and stores nothing", async () => {
    const world = await createCourseWorld(sql);
    const learner = world.first("viewer");
    const videoId = await insertVideo(sql, world.courseId, { duration: 100 });
    const viewing = session(learner, videoId);
    await expect(viewing.send([[0, 60]])).rejects.toMatchObject({ status: 400, code: "validation_error", details: { fieldErrors: { intervals: [expect.any(String)] } } });
    expect(await rows(videoId)).toMatchObject({ sessions: [] });
    await expect(viewing.send([[95, 105]])).rejects.toMatchObject({ status: 400, details: { fieldErrors: { "intervals.0": [expect.any(String)] } } });
    await expect(viewing.send([[0, 5]], { position: 400 })).rejects.toMatchObject({ status: 400 });
    const { progress, sessions } = await rows(videoId);
    expect(sessions).toEqual([]);
    expect(progress.every((row) => row.watched_seconds === 0 && row.position === null)).toBe(true);
    expect((await getVideoProgress({ actor: learner, videoId })).watchedSeconds).toBe(0);
  });

  it("only members watch (404 for strangers), not before the video is watchable (viewers 404, staff 409), and a session is its owner's", async () => {
    const world = await createCourseWorld(sql);
    const videoId = await insertVideo(sql, world.courseId);
    await expect(session(world.outsider, videoId).send([[0, 5]])).rejects.toMatchObject({ status: 404 });
    await expect(getVideoProgress({ actor: world.outsider, videoId })).rejects.toMatchObject({ status: 404 });
    const processing = await insertVideo(sql, world.courseId, { status: "processing" });
    await expect(session(world.first("viewer"), processing).send([[0, 5]])).rejects.toMatchObject({ status: 404 });
    await expect(session(world.first("owner"), processing).send([[0, 5]])).rejects.toMatchObject({ status: 409 });
    const playable = await insertVideo(sql, world.courseId, { status: "playable" });
    expect((await session(world.first("viewer"), playable).send([[0, 5]])).watchedSeconds).toBe(5);

    const mine = session(world.first("viewer"), videoId);
    await mine.send([[0, 5]]);
    const stolen: WatchBatch = { sessionId: mine.sessionId, sequence: 5, position: 5, intervals: [[0, 5]], playbackRate: 1 };
    await expect(recordWatchBatch({ actor: world.first("editor"), videoId, batch: stolen })).rejects.toMatchObject({ status: 409 });
  });
});

describe("analytics and course progress", () => {
  it("aggregates learners only: views, viewers, watch time, share, completion and retention; from/to filter by session start", async () => {
    const world = await createCourseWorld(sql, ["owner", "instructor", "editor", "viewer", "viewer", "viewer"]);
    const [a, b, c] = world.members.filter((member) => member.role === "viewer");
    if (!a || !b || !c) throw new Error("three learners expected");
    const videoId = await insertVideo(sql, world.courseId, { duration: 100 });
    const day1 = new Date("2026-11-02T10:00:00Z");
    const day2 = new Date("2026-11-05T10:00:00Z");
    // a watches the first half; b the whole video in two sessions; c nothing; the owner 30 s (left out).
    const sa = session(a, videoId, { start: day1 });
    for (let from = 0; from < 50; from += 10) await sa.send([[from, from + 10]]);
    const sb = session(b, videoId, { start: day1 });
    for (let from = 0; from < 50; from += 10) await sb.send([[from, from + 10]]);
    const sb2 = session(b, videoId, { start: day2 });
    for (let from = 50; from < 100; from += 10) await sb2.send([[from, from + 10]]);
    const so = session(world.first("owner"), videoId, { start: day1 });
    for (let from = 0; from < 30; from += 10) await so.send([[from, from + 10]]);

    const all = await getVideoAnalytics({ actor: world.first("instructor"), videoId, query: {} });
    expect(all).toMatchObject({ views: 3, uniqueViewers: 2, watchSeconds: 150, averageShareWatched: 0.75, completionRate: 0.5, durationSeconds: 100, from: null, to: null });
    expect(all.retention).toHaveLength(100);
    expect(all.retention.slice(0, 50).every((share) => share === 1)).toBe(true);
    expect(all.retention.slice(50).every((share) => share === 0.5)).toBe(true);

    const laterOnly = await getVideoAnalytics({ actor: world.first("owner"), videoId, query: { from: "2026-11-04", to: "2026-11-05" } });
    expect(laterOnly).toMatchObject({ views: 1, uniqueViewers: 1, watchSeconds: 50, completionRate: 1, from: "2026-11-04T00:00:00.000Z", to: "2026-11-06T00:00:00.000Z" });
    await expect(getVideoAnalytics({ actor: world.first("owner"), videoId, query: { from: "2026-11-05", to: "2026-11-01" } })).rejects.toMatchObject({ status: 400 });
    await expect(getVideoAnalytics({ actor: world.first("editor"), videoId, query: {} })).rejects.toMatchObject({ status: 403 });
    await expect(getVideoAnalytics({ actor: a, videoId, query: {} })).rejects.toMatchObject({ status: 403 });
    await expect(getVideoAnalytics({ actor: world.outsider, videoId, query: {} })).rejects.toMatchObject({ status: 404 });

    const progress = await getCourseProgress({ actor: world.first("owner"), courseId: world.courseId });
    expect(progress.videos.map((video) => video.id)).toEqual([videoId]);
    expect(progress.learners).toHaveLength(3);
    const byId = new Map(progress.learners.map((learner) => [learner.userId, learner]));
    expect(byId.get(a.id)).toMatchObject({ completedCount: 0, averageShareWatched: 0.5, videos: [{ videoId, watchedShare: 0.5, completed: false }], lastWatchedAt: expect.any(String) });
    expect(byId.get(b.id)).toMatchObject({ completedCount: 1, averageShareWatched: 1 });
    expect(byId.get(c.id)).toMatchObject({ completedCount: 0, averageShareWatched: 0, lastWatchedAt: null });
    const csv = courseProgressCsv(progress);
    expect(csv.split("\r\n")[0]).toBe("Name,Email,Videos completed,Average watched (%),Last watched (UTC),Lecture: watched (%),Lecture: completed");
    expect(csv.split("\r\n")).toHaveLength(5);
    await expect(getCourseProgress({ actor: world.first("editor"), courseId: world.courseId })).rejects.toMatchObject({ status: 403 });
    await expect(getCourseProgress({ actor: world.outsider, courseId: world.courseId })).rejects.toMatchObject({ status: 404 });

    const many = await progressForVideos({ userId: a.id, videos: [{ id: videoId, durationSeconds: 100 }, { id: randomUUID(), durationSeconds: 10 }] });
    expect([...many.values()].map((entry) => entry.watchedShare)).toEqual([0.5, 0]);
    expect(await unfinishedVideos({ userId: a.id, courseId: world.courseId })).toEqual([{ videoId, position: 50, lastWatchedAt: expect.any(String) }]);
    expect(await unfinishedVideos({ userId: b.id, courseId: world.courseId })).toEqual([]);
  });
});

describe("course progress table", () => {
  it("lays each learner's rows out in outline order, zeros where nothing was watched; staff, unwatchable videos and other courses left out; the CSV streamed is the same", async () => {
    const world = await createCourseWorld(sql, ["owner", "viewer", "viewer"]);
    const other = await createCourseWorld(sql);
    const [a, b] = world.members.filter((member) => member.role === "viewer");
    if (!a || !b) throw new Error("two learners expected");
    const first = await insertVideo(sql, world.courseId, { duration: 100, title: "First" });
    const second = await insertVideo(sql, world.courseId, { duration: 40, title: "Second" });
    const hidden = await insertVideo(sql, world.courseId, { duration: 100, title: "Hidden" });
    const elsewhere = await insertVideo(sql, other.courseId, { duration: 100 });
    await sql`update videos set position = 1 where id = ${first}`;
    await sql`update videos set position = 2 where id = ${second}`;
    // a: the second video whole (completed) and a quarter of the first; b nothing; the owner the first video.
    const sa = session(a, second);
    for (let from = 0; from < 40; from += 10) await sa.send([[from, from + 10]]);
    await session(a, first).send([[0, 10]]);
    await session(a, first, { start: new Date("2026-12-02T10:00:00Z") }).send([[10, 25]]);
    await session(a, hidden, { start: new Date("2026-12-03T10:00:00Z") }).send([[0, 10]]);
    await session(world.first("owner"), first).send([[0, 10]]);
    await sql`update videos set deleted_at = now() where id = ${hidden}`;
    await session(other.first("viewer"), elsewhere).send([[0, 10]]);

    const progress = await getCourseProgress({ actor: world.first("owner"), courseId: world.courseId });
    expect(progress.videos.map((video) => video.title)).toEqual(["First", "Second"]);
    const byId = new Map(progress.learners.map((learner) => [learner.userId, learner]));
    expect(byId.get(a.id)).toEqual({
      userId: a.id,
      name: a.name,
      email: a.email,
      videos: [
        { videoId: first, watchedShare: 0.25, completed: false },
        { videoId: second, watchedShare: 1, completed: true },
      ],
      completedCount: 1,
      averageShareWatched: 0.625,
      lastWatchedAt: "2026-12-02T10:00:10.000Z",
    });
    expect(byId.get(b.id)).toMatchObject({ videos: [{ videoId: first, watchedShare: 0, completed: false }, { videoId: second, watchedShare: 0, completed: false }], completedCount: 0, lastWatchedAt: null });
    expect(progress.learners).toHaveLength(2);
    const csv = courseProgressCsv(progress);
    expect(csv).toContain(`,1,62.5,2026-12-02T10:00:10.000Z,25,no,100,yes\r\n`);
    expect(await new Response(courseProgressCsvStream(progress)).text()).toBe(csv);
  });
});

describe("privacy", () => {
  it("removing a member, or leaving, deletes their watch data in that course only", async () => {
    const world = await createCourseWorld(sql);
    const other = await createCourseWorld(sql);
    const learner = world.first("viewer");
    await sql`insert into course_members (course_id, user_id, role) values (${other.courseId}, ${learner.id}, 'viewer')`;
    const here = await insertVideo(sql, world.courseId);
    const there = await insertVideo(sql, other.courseId);
    await session(learner, here).send([[0, 5]]);
    await session(learner, there).send([[0, 5]]);
    await session(world.first("editor"), here).send([[0, 5]]);
    await removeMember({ actor: world.first("owner"), courseId: world.courseId, userId: learner.id });
    expect((await rows(here)).progress.map((row) => row.user_id)).toEqual([world.first("editor").id]);
    expect((await rows(here)).sessions.map((row) => row.user_id)).toEqual([world.first("editor").id]);
    expect((await rows(there)).progress).toHaveLength(1);
    await removeMember({ actor: world.first("editor"), courseId: world.courseId, userId: world.first("editor").id });
    expect(await rows(here)).toEqual({ progress: [], sessions: [] });
  });

  it("the sweeper purges sessions started more than WATCH_DATA_DAYS ago", async () => {
    const world = await createCourseWorld(sql);
    const learner = await createUser(sql, `learner-${world.tag}`);
    await sql`insert into course_members (course_id, user_id, role) values (${world.courseId}, ${learner.id}, 'viewer')`;
    const videoId = await insertVideo(sql, world.courseId);
    const old = session(learner, videoId, { start: new Date(Date.now() - 400 * 86_400_000) });
    await old.send([[0, 5]]);
    const recent = session(learner, videoId, { start: new Date(Date.now() - 30 * 86_400_000) });
    await recent.send([[5, 10]]);
    const report = await sweep({ storage, uploadTtlHours: 24, watchDataDays: 365 });
    expect(report.purgedWatchSessions).toBeGreaterThanOrEqual(1);
    expect((await rows(videoId)).sessions.map((row) => row.id)).toEqual([recent.sessionId]);
    await sweep({ storage, uploadTtlHours: 24, watchDataDays: 10 });
    expect((await rows(videoId)).sessions).toEqual([]);
  });
});
