import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { courseMembers, watchSessions } from "@/db/schema";

/**
 * Records a batch on its session: creates it with the first batch seen, else moves it on to `sequence` and adds
 * the seconds played. Only the session's own user and video, and only forward (a sequence already seen changes
 * nothing): false when nothing was written.
 */
export async function recordSessionBatch({
  sessionId,
  videoId,
  userId,
  courseId,
  sequence,
  playedSeconds,
  now,
  tx,
}: {
  sessionId: string;
  videoId: string;
  userId: string;
  courseId: string;
  sequence: number;
  playedSeconds: number;
  now: Date;
  tx: Executor;
}): Promise<boolean> {
  const rows = await tx
    .insert(watchSessions)
    .values({ id: sessionId, videoId, userId, courseId, lastSequence: sequence, watchedSeconds: playedSeconds, startedAt: now, lastBatchAt: now })
    .onConflictDoUpdate({
      target: watchSessions.id,
      set: {
        lastSequence: sequence,
        batches: sql`${watchSessions.batches} + 1`,
        watchedSeconds: sql`${watchSessions.watchedSeconds} + ${playedSeconds}`,
        lastBatchAt: now,
      },
      setWhere: and(eq(watchSessions.userId, userId), eq(watchSessions.videoId, videoId), lt(watchSessions.lastSequence, sequence)),
    })
    .returning({ id: watchSessions.id });
  return rows.length > 0;
}

/**
 * A video's viewing sessions by learners (viewer role) that played anything: how many, and the seconds played.
 * With `from`/`to`, sessions started in [from, to) (the video's sessions index).
 */
export async function selectVideoSessionTotals({ videoId, from, to, tx = db }: { videoId: string; from?: Date; to?: Date; tx?: Executor }) {
  const [row] = await tx
    .select({ views: sql<number>`count(*)::int`, watchSeconds: sql<number>`coalesce(sum(${watchSessions.watchedSeconds}), 0)::float8` })
    .from(watchSessions)
    .innerJoin(courseMembers, and(eq(courseMembers.courseId, watchSessions.courseId), eq(courseMembers.userId, watchSessions.userId), eq(courseMembers.role, "viewer")))
    .where(
      and(
        eq(watchSessions.videoId, videoId),
        sql`${watchSessions.watchedSeconds} > 0`,
        from ? gte(watchSessions.startedAt, from) : undefined,
        to ? lt(watchSessions.startedAt, to) : undefined,
      ),
    );
  return { views: row?.views ?? 0, watchSeconds: row?.watchSeconds ?? 0 };
}

/** Deletes up to `limit` sessions started before `before`; how many went. */
export async function purgeSessionsBefore({ before, limit, tx = db }: { before: Date; limit: number; tx?: Executor }): Promise<number> {
  const rows = await tx.execute<{ count: number }>(sql`
    with gone as (
      delete from ${watchSessions} where ${watchSessions.id} in (select ${watchSessions.id} from ${watchSessions} where ${lt(watchSessions.startedAt, before)} limit ${limit})
      returning 1
    ) select count(*)::int as count from gone`);
  return rows[0]?.count ?? 0;
}
