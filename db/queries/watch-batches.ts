import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { type WatchProgress, watchProgress, watchSessions } from "@/db/schema";

/**
 * A batch's two writes in one statement (one round trip on the hot path): the session moves on to `sequence`
 * (created with its first batch; only its own user and video, only forward) and, only if it did, the learner's
 * progress row takes its new state. False when the session was not written (another user's or video's), so
 * nothing was.
 */
export async function writeWatchBatch({
  session,
  progress,
  tx,
}: {
  session: { id: string; videoId: string; userId: string; courseId: string; sequence: number; playedSeconds: number; now: Date };
  progress: Pick<WatchProgress, "intervals" | "watchedSeconds" | "retention" | "position" | "completedAt" | "lastWatchedAt">;
  tx: Executor;
}): Promise<boolean> {
  const now = session.now.toISOString();
  const rows = await tx.execute<{ written: number }>(sql`
    with moved as (
      insert into ${watchSessions} (id, video_id, user_id, course_id, last_sequence, watched_seconds, started_at, last_batch_at)
      values (${session.id}, ${session.videoId}, ${session.userId}, ${session.courseId}, ${session.sequence}, ${session.playedSeconds}, ${now}::timestamptz, ${now}::timestamptz)
      on conflict (id) do update set
        last_sequence = excluded.last_sequence,
        batches = ${watchSessions}.batches + 1,
        watched_seconds = ${watchSessions}.watched_seconds + excluded.watched_seconds,
        last_batch_at = excluded.last_batch_at
      where ${watchSessions}.user_id = excluded.user_id and ${watchSessions}.video_id = excluded.video_id and ${watchSessions}.last_sequence < excluded.last_sequence
      returning 1
    )
    update ${watchProgress} set
      intervals = ${JSON.stringify(progress.intervals)}::jsonb,
      watched_seconds = ${progress.watchedSeconds},
      retention = ${progress.retention},
      position = ${progress.position},
      completed_at = ${progress.completedAt?.toISOString() ?? null}::timestamptz,
      last_watched_at = ${progress.lastWatchedAt.toISOString()}::timestamptz
    where ${watchProgress.videoId} = ${session.videoId} and ${watchProgress.userId} = ${session.userId} and exists (select 1 from moved)
    returning 1 as written`);
  return rows.length > 0;
}
