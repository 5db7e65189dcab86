import { describe, expect, it } from "vitest";
import { clampIntervals, mergeIntervals, retentionBit, retentionBits, totalSeconds, uniqueSeconds, watchedShare } from "@/lib/watch/intervals";
import { COMPLETION_SHARE, RETENTION_BUCKETS } from "@/lib/watch/schemas";

describe("interval merging", () => {
  it("merges overlapping, touching and nearly touching intervals in any order, keeping gaps", () => {
    expect(mergeIntervals([[20, 30], [0, 10], [5, 12], [12, 15], [15.02, 18], [40, 50]])).toEqual([
      [0, 18],
      [20, 30],
      [40, 50],
    ]);
    expect(mergeIntervals([])).toEqual([]);
    // Contained intervals vanish into the outer one.
    expect(mergeIntervals([[0, 100], [10, 20], [30, 40]])).toEqual([[0, 100]]);
  });

  it("counts unique seconds once however often they are watched; totals count every pass", () => {
    const rewatched: [number, number][] = [[0, 60], [0, 60], [30, 90]];
    expect(uniqueSeconds(rewatched)).toBe(90);
    expect(totalSeconds(rewatched)).toBe(180);
  });

  it("a video watched at 2x covers its seconds once, not twice", () => {
    // 30 s of wall clock at 2x: 60 s of video, reported as video seconds.
    const atDoubleSpeed: [number, number][] = [[0, 20], [20, 40], [40, 60]];
    expect(uniqueSeconds(atDoubleSpeed)).toBe(60);
    expect(watchedShare(uniqueSeconds(atDoubleSpeed), 120)).toBe(0.5);
  });

  it("completion is at COMPLETION_SHARE of unique seconds, and rewatching one half never completes", () => {
    const duration = 100;
    const firstHalfFiveTimes = Array.from({ length: 5 }, (): [number, number] => [0, 50]);
    expect(watchedShare(uniqueSeconds(firstHalfFiveTimes), duration) >= COMPLETION_SHARE).toBe(false);
    expect(watchedShare(uniqueSeconds([[0, 89]]), duration) >= COMPLETION_SHARE).toBe(false);
    expect(watchedShare(uniqueSeconds([[0, 45], [45, 90]]), duration) >= COMPLETION_SHARE).toBe(true);
    expect(watchedShare(500, duration)).toBe(1);
    expect(watchedShare(10, null)).toBe(0);
  });

  it("clamps to the duration and drops what is left empty", () => {
    expect(clampIntervals([[-0, 5], [98, 100.4], [100.2, 100.5]], 100)).toEqual([
      [0, 5],
      [98, 100],
    ]);
  });
});

describe("retention bits", () => {
  it("sets a bit per 1 % of the video watched at least half", () => {
    const bits = retentionBits(mergeIntervals([[0, 10], [50, 50.4], [50.5, 51.4]]), 100);
    expect(bits.length).toBe(Math.ceil(RETENTION_BUCKETS / 8));
    const set = Array.from({ length: RETENTION_BUCKETS }, (_, bucket) => retentionBit(bits, bucket));
    expect(set.slice(0, 10).every(Boolean)).toBe(true);
    // [50, 51) is covered 0.4 + 0.5 = 0.9 of 1 s; [51, 52) only 0.4.
    expect(set[50]).toBe(true);
    expect(set[51]).toBe(false);
    expect(set.filter(Boolean)).toHaveLength(11);
  });

  it("uses PostgreSQL's get_bit order: bit i is byte i >> 3, bit i & 7", () => {
    const bits = retentionBits([[9, 10]], 100);
    expect([...bits].map((byte) => byte.toString(16))).toEqual(["0", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]);
  });
});
