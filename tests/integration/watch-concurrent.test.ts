import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { applyWatchBatch, recordWatchBatch } from "@/lib/watch/record";
import type { WatchBatch } from "@/lib/watch/schemas";
import { createCourseWorld, insertVideo } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();
afterAll(() => close());

const start = new Date("2026-12-01T10:00:00Z");
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

async function setUp() {
  const world = await createCourseWorld(sql);
  const learner = world.first("viewer");
  const videoId = await insertVideo(sql, world.courseId);
  const video = { id: videoId, courseId: world.courseId, title: "Lecture", durationSeconds: 100 };
  const sessionId = randomUUID();
  const batch = (sequence: number, intervals: [number, number][]): WatchBatch => ({ sessionId, sequence, position: intervals.at(-1)?.[1] ?? 0, intervals, playbackRate: 1 });
  return { learner, video, sessionId, batch };
}

/** Until a batch's transaction waits for the learner's progress row lock (held by the test). */
async function untilWaitingForLock() {
  for (let tries = 0; tries < 500; tries++) {
    const [row] = await sql<{ waiting: number }[]>`
      select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query ilike '%"watch_progress"%'`;
    if ((row?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the second batch never waited for the progress row lock");
}

/**
 * Two batches of one session at the same time (the beacons of visibilitychange and pagehide, or a beacon and a
 * batch still under way): `first` is recorded and committed while `second` waits for the progress row lock.
 */
async function concurrently({ learner, video }: Awaited<ReturnType<typeof setUp>>, first: WatchBatch, second: WatchBatch) {
  let waiting: Promise<unknown> | undefined;
  await db.transaction(async (tx) => {
    await applyWatchBatch({ tx, userId: learner.id, videoId: video.id, batch: first, now: at(30), origin: "http://localhost" });
    waiting = recordWatchBatch({ actor: learner, videoId: video.id, batch: second, now: at(30.5) });
    // Kept from an unhandled rejection while this transaction waits; awaited below.
    waiting.catch(() => {});
    await untilWaitingForLock();
  });
  return waiting;
}

describe("batches of one session arriving together", () => {
  it("both count: the one that waited for the lock reads the session the other just wrote (not the one from before its wait)", async () => {
    const world = await setUp();
    await recordWatchBatch({ actor: world.learner, videoId: world.video.id, batch: world.batch(0, [[0, 10]]), now: at(10) });
    // The newer batch first: the older one is late, and still counts.
    const progress = await concurrently(world, world.batch(2, [[20, 25]]), world.batch(1, [[10, 20]]));
    expect(progress).toMatchObject({ watchedSeconds: 25, position: 25 });
    const [session] = await sql`select last_sequence, batches, watched_seconds from watch_sessions where id = ${world.sessionId}`;
    expect(session).toMatchObject({ last_sequence: 2, batches: 3, watched_seconds: 25 });
    const [row] = await sql`select intervals, position from watch_progress where video_id = ${world.video.id}`;
    expect(row).toMatchObject({ intervals: [[0, 25]], position: 25 });
  });

  it("a new session's first two batches together: the second finds the session the first created", async () => {
    const world = await setUp();
    // Watched before, in another session: the progress row exists, so the second batch waits for its lock.
    await recordWatchBatch({ actor: world.learner, videoId: world.video.id, batch: { ...world.batch(0, [[50, 60]]), sessionId: randomUUID() }, now: at(0) });
    const progress = await concurrently(world, world.batch(0, [[0, 10]]), world.batch(1, [[10, 12]]));
    expect(progress).toMatchObject({ watchedSeconds: 22, position: 12 });
    const [session] = await sql`select last_sequence, batches, watched_seconds from watch_sessions where id = ${world.sessionId}`;
    expect(session).toMatchObject({ last_sequence: 1, batches: 2, watched_seconds: 12 });
  });

  it("the same batch twice together (a retry racing the original) counts once", async () => {
    const world = await setUp();
    await recordWatchBatch({ actor: world.learner, videoId: world.video.id, batch: world.batch(0, [[0, 10]]), now: at(10) });
    const progress = await concurrently(world, world.batch(1, [[10, 20]]), world.batch(1, [[10, 20]]));
    expect(progress).toMatchObject({ watchedSeconds: 20 });
    const [session] = await sql`select batches, watched_seconds from watch_sessions where id = ${world.sessionId}`;
    expect(session).toMatchObject({ batches: 2, watched_seconds: 20 });
  });
});
