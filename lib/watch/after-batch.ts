import "server-only";
import type { Transaction } from "@/db";
import type { Video } from "@/db/schema";
import type { VideoProgress, WatchBatch } from "./schemas";

/** What one recorded batch did, for whatever it causes in the same transaction. */
export type RecordedBatch = {
  tx: Transaction;
  userId: string;
  video: Pick<Video, "id" | "courseId" | "title"> & { durationSeconds: number };
  batch: WatchBatch;
  /** The batch's intervals clamped to the duration, as sent (not merged). */
  intervals: [number, number][];
  /** True when this batch took the learner past COMPLETION_SHARE (once per learner and video). */
  completedNow: boolean;
  progress: VideoProgress;
  now: Date;
};

/**
 * Runs in the transaction that recorded a batch (`recorded.tx`), after its writes: what a recorded batch causes
 * besides the learner's progress goes here (the xAPI statements job is queued here), so it commits or rolls back
 * with the batch. A replayed or refused batch never gets here.
 */
export async function afterBatchRecorded(recorded: RecordedBatch): Promise<void> {
  void recorded;
}
