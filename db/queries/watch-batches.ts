import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { type WatchProgress, watchProgress, watchSessions } from "@/db/schema";

/**
 * A batch's two writes in one statement (one round trip on the hot path): the session records the batch (created
 * with its first one; only its own user and video, and only from the state the caller read: `previous`) and, only
 * if it did, the learner's progress row takes its new state. A late batch (lib/watch/sequences.ts) leaves the
 * session's last sequence and batch time as they are. False when the session was not written (another user's or
 * video's), so nothing was.
 */
export async function writeWatchBatch({
  session,
  progress,
  tx,
}: {
  session: {
    id: string;
    videoId: string;
    userId: string;
    courseId: string;
    lastSequence: number;
    recentSequences: bigint;
    late: boolean;
    /** The session as read under the progress lock (null: it does not exist yet). */
    previous: { lastSequence: number; recentSequences: bigint } | null;
    playedSeconds: number;
    now: Date;
  };
  progress: Pick<WatchProgress, "intervals" | "watchedSeconds" | "retention" | "position" | "completedAt" | "lastWatchedAt">;
  tx: Executor;
}): Promise<boolean> {
  const now = session.now.toISOString();
  const moved = tx.$with("moved", { one: sql<number>`1` }).as(sql`
    insert into ${watchSessions} (id, video_id, user_id, course_id, last_sequence, recent_sequences, watched_seconds, started_at, last_batch_at)
    values (${session.id}, ${session.videoId}, ${session.userId}, ${session.courseId}, ${session.lastSequence}, ${session.recentSequences.toString()}::bigint, ${session.playedSeconds}, ${now}::timestamptz, ${now}::timestamptz)
    on conflict (id) do update set
      last_sequence = excluded.last_sequence,
      recent_sequences = excluded.recent_sequences,
      batches = ${watchSessions}.batches + 1,
      watched_seconds = ${watchSessions}.watched_seconds + excluded.watched_seconds,
      last_batch_at = ${session.late ? sql`${watchSessions}.last_batch_at` : sql`excluded.last_batch_at`}
    where ${watchSessions}.user_id = excluded.user_id and ${watchSessions}.video_id = excluded.video_id
      and ${session.previous === null ? sql`false` : sql`${watchSessions}.last_sequence = ${session.previous.lastSequence} and ${watchSessions}.recent_sequences = ${session.previous.recentSequences.toString()}::bigint`}
    returning 1 as one`);
  // A named (prepared) statement: one round trip, parsed once per connection (an unnamed one with parameters costs
  // postgres.js a describe round trip first).
  const rows = await tx
    .with(moved)
    .update(watchProgress)
    .set({
      intervals: progress.intervals,
      watchedSeconds: progress.watchedSeconds,
      retention: progress.retention,
      position: progress.position,
      completedAt: progress.completedAt,
      lastWatchedAt: progress.lastWatchedAt,
    })
    .where(and(eq(watchProgress.videoId, session.videoId), eq(watchProgress.userId, session.userId), sql`exists (select 1 from ${moved})`))
    .returning({ written: sql<number>`1` })
    .prepare("write_watch_batch")
    .execute();
  return rows.length > 0;
}
