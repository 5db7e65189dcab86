import { clampIntervals, totalSeconds } from "./intervals";
import { type WatchBatch, WATCH_BATCH_SECONDS } from "./schemas";

/** Intervals and positions may pass the video's end by this much (players report the last frame's end, rounding). */
export const DURATION_TOLERANCE_SECONDS = 1;
/**
 * Seconds added to the wall-clock time since the session's previous batch: network delays differ between batches
 * (one that took long makes the next look early), and a batch rounds its ends.
 */
export const ELAPSED_SLACK_SECONDS = 5;
/** The first batch of a session has no previous one: it may carry one batch period's worth (plus the slack). */
export const FIRST_BATCH_SECONDS = WATCH_BATCH_SECONDS;

export type BatchCheck =
  | { ok: true; intervals: [number, number][]; playedSeconds: number }
  | { ok: false; fieldErrors: Record<string, string[]> };

/** How many seconds of video a batch may carry: the wall-clock time it covers at its playback rate, plus slack. */
export function allowedSeconds({ previousBatchAt, now, playbackRate }: { previousBatchAt: Date | null; now: Date; playbackRate: number }): number {
  const elapsed = previousBatchAt ? Math.max(0, (now.getTime() - previousBatchAt.getTime()) / 1000) : FIRST_BATCH_SECONDS;
  return (elapsed + ELAPSED_SLACK_SECONDS) * playbackRate;
}

/**
 * How many seconds of video a late batch (older than the session's newest, lib/watch/sequences.ts) may carry: what
 * can have played since the session started, less what its recorded batches already carried.
 */
export function lateAllowedSeconds({ startedAt, playedSoFar, now, playbackRate }: { startedAt: Date; playedSoFar: number; now: Date; playbackRate: number }): number {
  const elapsed = Math.max(0, (now.getTime() - startedAt.getTime()) / 1000);
  return Math.max(0, (elapsed + FIRST_BATCH_SECONDS + ELAPSED_SLACK_SECONDS) * playbackRate - playedSoFar);
}

/**
 * Checks a batch (already shape-checked by `watchBatchSchema`) against the video and the time elapsed: intervals
 * and position within the duration (with a small tolerance), and no more video seconds, overlaps counted, than
 * could have played since the session's previous batch at the batch's rate. The intervals come back clamped to
 * the duration, with the seconds played (overlaps counted: the session's watch time).
 */
export function checkBatch({
  batch,
  durationSeconds,
  previousBatchAt,
  late,
  now,
}: {
  batch: Pick<WatchBatch, "intervals" | "position" | "playbackRate">;
  durationSeconds: number;
  previousBatchAt: Date | null;
  /** A late batch is checked against the whole session instead of the time since the previous batch. */
  late?: { startedAt: Date; playedSoFar: number };
  now: Date;
}): BatchCheck {
  const fieldErrors: Record<string, string[]> = {};
  const limit = durationSeconds + DURATION_TOLERANCE_SECONDS;
  const past = `is past the video's end (${round(durationSeconds)} s).`;
  batch.intervals.forEach(([start, end], index) => {
    if (start >= limit || end > limit) (fieldErrors[`intervals.${index}`] ??= []).push(`[${round(start)}, ${round(end)}] ${past}`);
  });
  if (batch.position > limit) (fieldErrors.position ??= []).push(`${round(batch.position)} ${past}`);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const intervals = clampIntervals(batch.intervals, durationSeconds);
  const playedSeconds = totalSeconds(intervals);
  const allowed = late
    ? lateAllowedSeconds({ ...late, now, playbackRate: batch.playbackRate })
    : allowedSeconds({ previousBatchAt, now, playbackRate: batch.playbackRate });
  if (playedSeconds > allowed) {
    return {
      ok: false,
      fieldErrors: {
        intervals: [
          `${round(playedSeconds)} s of video in one batch, but at most ${round(allowed)} s can have played at ${batch.playbackRate}× since the session's ${late || !previousBatchAt ? "start" : "previous batch"}.`,
        ],
      },
    };
  }
  return { ok: true, intervals, playedSeconds };
}

const round = (value: number) => Math.round(value * 100) / 100;
