import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { recordWatchBatch } from "@/lib/watch/record";
import { WatchTracker } from "@/lib/watch/tracker";
import { createCourseWorld, insertVideo } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();
afterAll(() => close());

const start = new Date("2026-12-01T10:00:00Z").getTime();

/**
 * The player's tracker against the real server: a clock in wall milliseconds and video seconds, timeupdates every
 * 250 ms at 1×, and `deliver` sends what the tracker says to send now, each batch recorded (or not) as the test says.
 */
async function player() {
  const world = await createCourseWorld(sql);
  const learner = world.first("viewer");
  const videoId = await insertVideo(sql, world.courseId);
  const tracker = new WatchTracker({ sessionId: randomUUID(), durationSeconds: 100 });
  const clock = { ms: 0, at: 0 };
  tracker.play(0, clock.ms);
  return {
    tracker,
    videoId,
    playFor(wallSeconds: number) {
      for (let tick = 0; tick < wallSeconds * 4; tick++) {
        clock.ms += 250;
        clock.at += 0.25;
        tracker.timeUpdate(clock.at, clock.ms);
      }
    },
    /** `fate` per batch sent: "ok", "lost" (recorded, but the answer never came back) or "failed" (never arrived). */
    async deliver(...fates: ("ok" | "lost" | "failed")[]) {
      const batches = tracker.takeBatches(clock.at);
      for (const [index, batch] of batches.entries()) {
        const fate = fates[index] ?? "ok";
        if (fate !== "failed") await recordWatchBatch({ actor: learner, videoId, batch, now: new Date(start + clock.ms + 200) });
        if (fate !== "ok") tracker.restore(batch);
      }
      return batches.map((batch) => batch.sequence);
    },
    session: async () => (await sql<{ watched_seconds: number; batches: number }[]>`select watched_seconds, batches from watch_sessions where id = ${tracker.sessionId}`)[0],
    progress: async () => (await sql<{ watched_seconds: number; position: number }[]>`select watched_seconds, position from watch_progress where video_id = ${videoId}`)[0],
  };
}

describe("an undelivered batch sent again", () => {
  it("recorded although its answer was lost: the session's watch time counts its seconds once", async () => {
    const play = await player();
    play.playFor(10);
    await play.deliver("ok");
    play.playFor(10);
    await play.deliver("lost");
    play.playFor(10);
    // The new batch, then the lost one again (a replay: nothing changes).
    const sent = await play.deliver("ok", "ok");
    expect(await play.session()).toMatchObject({ watched_seconds: 30, batches: 3 });
    expect(sent).toEqual([2, 1]);
    expect(await play.progress()).toMatchObject({ watched_seconds: 30, position: 30 });
  });

  it("that never arrived: counted once, late; several in a row pass the elapsed-time check sent newest first", async () => {
    const play = await player();
    play.playFor(10);
    await play.deliver("ok");
    play.playFor(10);
    await play.deliver("failed");
    play.playFor(10);
    await play.deliver("failed", "failed");
    play.playFor(10);
    const sent = await play.deliver("ok", "ok", "ok");
    expect(await play.session()).toMatchObject({ watched_seconds: 40, batches: 4 });
    expect(sent).toEqual([3, 2, 1]);
    expect(await play.progress()).toMatchObject({ watched_seconds: 40, position: 40 });
  });
});
