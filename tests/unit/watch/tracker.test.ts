import { describe, expect, it } from "vitest";
import { watchBatchSchema, type WatchBatch } from "@/lib/watch/schemas";
import { mergeIntervals, WatchTracker } from "@/lib/watch/tracker";

const SESSION = "6f1d5c8e-2b7a-4c1e-9a3f-0d2b4e6f8a1c";

/** Plays from the tracker's playhead for `wallSeconds` at `rate`, one timeupdate every 250 ms like Chromium. */
function playFor(tracker: WatchTracker, clock: { ms: number; at: number }, wallSeconds: number, rate = tracker.playbackRate) {
  for (let tick = 0; tick < wallSeconds * 4; tick++) {
    clock.ms += 250;
    clock.at += 0.25 * rate;
    tracker.timeUpdate(clock.at, clock.ms);
  }
}

const watched = (batch: WatchBatch | null) => (batch?.intervals ?? []).reduce((sum, [start, end]) => sum + end - start, 0);

describe("mergeIntervals", () => {
  it("joins overlapping and touching stretches and sorts them", () => {
    expect(
      mergeIntervals([
        [10, 12],
        [0, 5],
        [4, 6],
        [6, 7],
        [20, 20],
      ]),
    ).toEqual([
      [0, 7],
      [10, 12],
    ]);
  });
});

describe("WatchTracker", () => {
  it("counts video seconds, not time spent: 10 s at 2× is 20 s of video, in one valid batch", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 60 });
    const clock = { ms: 0, at: 0 };
    tracker.setRate(2, clock.ms);
    tracker.play(0, clock.ms);
    playFor(tracker, clock, 10);
    const batch = tracker.takeBatch(clock.at);
    expect(watchBatchSchema.parse(batch)).toEqual(batch);
    expect(batch).toMatchObject({ sessionId: SESSION, sequence: 0, position: 20, intervals: [[0, 20]], playbackRate: 2, events: [{ type: "played", at: 0 }] });
  });

  it("numbers batches 0, 1, 2… and continues the open stretch from where the last batch cut it", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 60 });
    const clock = { ms: 0, at: 0 };
    tracker.play(0, clock.ms);
    playFor(tracker, clock, 4);
    expect(tracker.takeBatch(clock.at)).toMatchObject({ sequence: 0, intervals: [[0, 4]] });
    playFor(tracker, clock, 3);
    expect(tracker.takeBatch(clock.at)).toMatchObject({ sequence: 1, intervals: [[4, 7]], position: 7 });
    expect(tracker.takeBatch(clock.at)).toBeNull();
  });

  it("does not fill the gap of a seek, records it as seeked from → to, and counts a rewatched part once per batch", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 60 });
    const clock = { ms: 0, at: 0 };
    tracker.play(0, clock.ms);
    playFor(tracker, clock, 5);
    // Seek forward to 30: Chromium fires seeking, then a timeupdate at the target, then seeked.
    tracker.seekStart(30);
    tracker.timeUpdate(30, clock.ms + 10);
    clock.at = 30;
    tracker.seekEnd(30, (clock.ms += 100));
    playFor(tracker, clock, 2);
    // Back to 1 and watch 0–5 again: no new seconds there.
    tracker.seekStart(1);
    clock.at = 1;
    tracker.seekEnd(1, (clock.ms += 100));
    playFor(tracker, clock, 3);
    const batch = tracker.takeBatch(clock.at);
    expect(batch?.intervals).toEqual([
      [0, 5],
      [30, 32],
    ]);
    expect(batch?.events).toEqual([
      { type: "played", at: 0 },
      { type: "seeked", from: 5, to: 30 },
      { type: "seeked", from: 32, to: 1 },
    ]);
    expect(batch?.position).toBe(4);
  });

  it("treats a jump of the playhead that playback cannot explain as a new start, not as watched", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 600 });
    const clock = { ms: 0, at: 0 };
    tracker.play(0, clock.ms);
    playFor(tracker, clock, 2);
    clock.at = 300; // e.g. a player recovering far away without a seeking event
    tracker.timeUpdate(clock.at, (clock.ms += 250));
    playFor(tracker, clock, 1);
    expect(tracker.takeBatch(clock.at)?.intervals).toEqual([
      [0, 2],
      [300, 301],
    ]);
  });

  it("closes the stretch on pause, records played and paused, and counts nothing while paused", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 60 });
    const clock = { ms: 0, at: 0 };
    tracker.play(0, clock.ms);
    playFor(tracker, clock, 3);
    tracker.pause(clock.at);
    clock.ms += 60_000;
    tracker.timeUpdate(clock.at, clock.ms);
    const batch = tracker.takeBatch(clock.at);
    expect(batch).toMatchObject({ intervals: [[0, 3]], position: 3, events: [{ type: "played", at: 0 }, { type: "paused", at: 3 }] });
    expect(watched(batch)).toBe(3);
  });

  it("keeps the seconds played at each rate when the rate changes mid-way", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 60 });
    const clock = { ms: 0, at: 0 };
    tracker.play(0, clock.ms);
    playFor(tracker, clock, 2, 1);
    tracker.setRate(2, clock.ms);
    playFor(tracker, clock, 2, 2);
    expect(tracker.takeBatch(clock.at)).toMatchObject({ intervals: [[0, 6]], playbackRate: 2 });
  });

  it("says nothing until the viewer plays: opening at 0 or at the resume point is neither a view nor a new resume point", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 60 });
    expect(tracker.takeBatch(0)).toBeNull();
    tracker.seekStart(42);
    tracker.timeUpdate(42, 10);
    tracker.seekEnd(42, 20);
    expect(tracker.takeBatch(42)).toBeNull();
    tracker.play(42, 30);
    expect(tracker.takeBatch(42)).toMatchObject({ sequence: 0, position: 42, intervals: [], events: [{ type: "played", at: 42 }] });
  });

  it("clamps to the duration so the server never sees an interval past the end", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 5 });
    const clock = { ms: 0, at: 3 };
    tracker.seekStart(3);
    tracker.seekEnd(3, clock.ms);
    tracker.play(3, clock.ms);
    playFor(tracker, clock, 3);
    tracker.ended(clock.at);
    expect(tracker.takeBatch()).toMatchObject({ intervals: [[3, 5]], position: 5 });
  });

  it("sends a batch with the new position only when something changed, and puts an undelivered batch back", () => {
    const tracker = new WatchTracker({ sessionId: SESSION, durationSeconds: 60 });
    const clock = { ms: 0, at: 0 };
    tracker.play(0, clock.ms);
    playFor(tracker, clock, 2);
    const lost = tracker.takeBatch(clock.at);
    expect(lost).not.toBeNull();
    if (!lost) return;
    tracker.restore(lost);
    playFor(tracker, clock, 2);
    // The undelivered batch goes again as it was (its own sequence: a replay if it did arrive), after the new one.
    const [next, again, ...more] = tracker.takeBatches(clock.at);
    expect(next).toMatchObject({ sequence: 1, intervals: [[2, 4]] });
    expect(next?.events).toBeUndefined();
    expect(again).toEqual(lost);
    expect(lost).toMatchObject({ sequence: 0, intervals: [[0, 2]], events: [{ type: "played", at: 0 }] });
    expect(more).toEqual([]);
    expect(tracker.takeBatches(clock.at)).toEqual([]);
    tracker.pause(clock.at);
    tracker.takeBatch(clock.at);
    // A seek while paused: only the position (and the seeked event) changes.
    tracker.seekStart(40);
    tracker.seekEnd(40, clock.ms);
    expect(tracker.takeBatch(40)).toMatchObject({ intervals: [], position: 40, events: [{ type: "seeked", from: 4, to: 40 }] });
    expect(tracker.takeBatch(40)).toBeNull();
  });
});
