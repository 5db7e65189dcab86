import { RETENTION_BUCKETS, type WatchInterval } from "./schemas";

/** Stretches closer than this (in seconds) are one: a player's timeupdate ticks leave tiny gaps between batches. */
const JOIN_GAP_SECONDS = 0.05;

/** Sorted, disjoint intervals covering exactly what the given ones cover (touching or nearly touching ones joined). */
export function mergeIntervals(intervals: readonly WatchInterval[]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1] + JOIN_GAP_SECONDS) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Total length of the intervals as given (overlaps counted twice): time spent watching, in video seconds. */
export function totalSeconds(intervals: readonly WatchInterval[]): number {
  return intervals.reduce((sum, [start, end]) => sum + (end - start), 0);
}

/** Seconds covered at least once. */
export function uniqueSeconds(intervals: readonly WatchInterval[]): number {
  return totalSeconds(mergeIntervals(intervals));
}

/** Clamps intervals to [0, duration] (dropping what is left empty). */
export function clampIntervals(intervals: readonly WatchInterval[], durationSeconds: number): [number, number][] {
  const clamped: [number, number][] = [];
  for (const [start, end] of intervals) {
    const from = Math.max(0, Math.min(start, durationSeconds));
    const to = Math.max(0, Math.min(end, durationSeconds));
    if (to > from) clamped.push([from, to]);
  }
  return clamped;
}

/** Unique share of the video watched, 0–1. */
export function watchedShare(watchedSeconds: number, durationSeconds: number | null): number {
  if (!durationSeconds || durationSeconds <= 0) return 0;
  return Math.min(1, Math.max(0, watchedSeconds / durationSeconds));
}

/** A bucket (1 % of the video) counts as watched when at least this share of it was. */
export const BUCKET_WATCHED_SHARE = 0.5;
export const RETENTION_BYTES = Math.ceil(RETENTION_BUCKETS / 8);

export function emptyRetention(): Buffer {
  return Buffer.alloc(RETENTION_BYTES);
}

/**
 * One bit per 1 % of the video, set when the merged intervals cover at least half of it. Bit i is byte i >> 3,
 * bit i & 7 (PostgreSQL's `get_bit(bytea, i)` reads the same one).
 */
export function retentionBits(merged: readonly WatchInterval[], durationSeconds: number): Buffer {
  const bits = emptyRetention();
  if (durationSeconds <= 0) return bits;
  const width = durationSeconds / RETENTION_BUCKETS;
  let cursor = 0;
  for (let bucket = 0; bucket < RETENTION_BUCKETS; bucket++) {
    const from = bucket * width;
    const to = from + width;
    let covered = 0;
    while (cursor < merged.length && (merged[cursor]?.[1] ?? 0) <= from) cursor++;
    for (let index = cursor; index < merged.length; index++) {
      const interval = merged[index];
      if (!interval || interval[0] >= to) break;
      covered += Math.min(to, interval[1]) - Math.max(from, interval[0]);
    }
    if (covered >= width * BUCKET_WATCHED_SHARE) bits[bucket >> 3] = (bits[bucket >> 3] ?? 0) | (1 << (bucket & 7));
  }
  return bits;
}

export function retentionBit(bits: Uint8Array, bucket: number): boolean {
  return (((bits[bucket >> 3] ?? 0) >> (bucket & 7)) & 1) === 1;
}
