import "server-only";
import { selectStatementSubject } from "@/db/queries/xapi";
import { env } from "@/lib/env";
import { enqueueXapiStatements } from "@/lib/queue";
import type { RecordedBatch } from "@/lib/watch/after-batch";
import { buildWatchStatements } from "./statements";

/** Whether statements are sent to a learning record store (XAPI_ENDPOINT set). */
export const xapiEnabled = () => env.XAPI_ENDPOINT !== undefined;

/**
 * Queues the xAPI statements of a recorded batch (its player events, and `completed` when it completed the video)
 * in the batch's transaction: they exist if and only if the batch was recorded, and the watch API never waits on
 * the LRS. Off without XAPI_ENDPOINT. The statements are built now, so every retry of the job sends the same ones.
 * Activity ids use APP_URL when set (set it: ids stay the same whichever address learners use), else the address
 * of the request that recorded the batch.
 */
export async function queueWatchStatements({ tx, userId, video, batch, completedNow, progress, now, origin }: RecordedBatch): Promise<void> {
  if (!xapiEnabled()) return;
  const events = batch.events ?? [];
  if (events.length === 0 && !completedNow) return;
  const subject = await selectStatementSubject({ videoId: video.id, userId, tx });
  if (!subject) return;
  const statements = buildWatchStatements({
    origin: env.APP_URL ?? origin,
    learnerId: userId,
    course: { id: video.courseId, title: subject.courseTitle },
    video: { id: video.id, title: video.title, durationSeconds: video.durationSeconds, language: subject.language },
    sessionId: batch.sessionId,
    sequence: batch.sequence,
    recordedAt: now,
    playbackRate: batch.playbackRate,
    position: progress.position ?? batch.position,
    events,
    progress: { intervals: subject.intervals, watchedShare: progress.watchedShare },
    completed: completedNow ? { timeSpentSeconds: subject.playedSeconds } : undefined,
  });
  if (statements.length > 0) await enqueueXapiStatements({ tx, job: { statements } });
}
