import { describe, expect, it } from "vitest";
import { allowedSeconds, checkBatch, ELAPSED_SLACK_SECONDS, FIRST_BATCH_SECONDS } from "@/lib/watch/validate-batch";
import { watchBatchSchema } from "@/lib/watch/schemas";

const now = new Date("2026-12-01T12:00:00Z");
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const batch = (intervals: [number, number][], playbackRate = 1, position = intervals.at(-1)?.[1] ?? 0) => ({ intervals, playbackRate, position });

describe("checking a watch batch", () => {
  it("accepts ten seconds watched ten seconds after the previous batch, and the first batch's ten", () => {
    expect(checkBatch({ batch: batch([[30, 40]]), durationSeconds: 120, previousBatchAt: secondsAgo(10), now })).toEqual({ ok: true, intervals: [[30, 40]], playedSeconds: 10 });
    expect(checkBatch({ batch: batch([[0, 10]]), durationSeconds: 120, previousBatchAt: null, now }).ok).toBe(true);
  });

  it("refuses more seconds than the wall clock allows at the batch's rate, overlaps counted", () => {
    // 10 s elapsed at 1x: 15 s allowed with the slack.
    const tooMuch = checkBatch({ batch: batch([[0, 16]]), durationSeconds: 120, previousBatchAt: secondsAgo(10), now });
    expect(tooMuch).toMatchObject({ ok: false, fieldErrors: { intervals: [expect.stringContaining("at most 15 s")] } });
    // The same stretch ten times over is 100 s of playing, not 10.
    const repeated = checkBatch({ batch: batch(Array.from({ length: 10 }, (): [number, number] => [0, 10])), durationSeconds: 120, previousBatchAt: secondsAgo(10), now });
    expect(repeated.ok).toBe(false);
    // A first batch that claims a whole lecture.
    expect(checkBatch({ batch: batch([[0, 600]]), durationSeconds: 3600, previousBatchAt: null, now }).ok).toBe(false);
  });

  it("allows twice the seconds at 2x, and the allowance grows with the time elapsed", () => {
    expect(checkBatch({ batch: batch([[0, 20]], 2), durationSeconds: 120, previousBatchAt: secondsAgo(10), now }).ok).toBe(true);
    expect(checkBatch({ batch: batch([[0, 20]], 1), durationSeconds: 120, previousBatchAt: secondsAgo(10), now }).ok).toBe(false);
    expect(allowedSeconds({ previousBatchAt: secondsAgo(60), now, playbackRate: 1.5 })).toBe((60 + ELAPSED_SLACK_SECONDS) * 1.5);
    expect(allowedSeconds({ previousBatchAt: null, now, playbackRate: 1 })).toBe(FIRST_BATCH_SECONDS + ELAPSED_SLACK_SECONDS);
    // A clock step backwards never makes the allowance negative.
    expect(allowedSeconds({ previousBatchAt: new Date(now.getTime() + 60_000), now, playbackRate: 1 })).toBe(ELAPSED_SLACK_SECONDS);
  });

  it("refuses intervals and positions past the end (beyond a small tolerance), clamping those within it", () => {
    const past = checkBatch({ batch: batch([[0, 5], [118, 125]], 1, 10), durationSeconds: 120, previousBatchAt: secondsAgo(60), now });
    expect(past).toMatchObject({ ok: false, fieldErrors: { "intervals.1": [expect.stringContaining("past the video's end")] } });
    const position = checkBatch({ batch: batch([[0, 5]], 1, 500), durationSeconds: 120, previousBatchAt: secondsAgo(60), now });
    expect(position).toMatchObject({ ok: false, fieldErrors: { position: [expect.any(String)] } });
    expect(checkBatch({ batch: batch([[115, 120.5]], 1, 120.5), durationSeconds: 120, previousBatchAt: secondsAgo(10), now })).toEqual({ ok: true, intervals: [[115, 120]], playedSeconds: 5 });
  });

  it("the batch schema refuses negative seconds, end <= start, and unknown fields", () => {
    const base = { sessionId: "5b0e7c1e-3f7a-4d8e-9a43-3c2d9b0f2a11", sequence: 0, position: 1, playbackRate: 1 };
    expect(watchBatchSchema.safeParse({ ...base, intervals: [[0, 5]] }).success).toBe(true);
    expect(watchBatchSchema.safeParse({ ...base, intervals: [[-1, 5]] }).success).toBe(false);
    expect(watchBatchSchema.safeParse({ ...base, intervals: [[5, 5]] }).success).toBe(false);
    expect(watchBatchSchema.safeParse({ ...base, intervals: [[6, 5]] }).success).toBe(false);
    expect(watchBatchSchema.safeParse({ ...base, intervals: [], extra: 1 }).success).toBe(false);
  });
});
