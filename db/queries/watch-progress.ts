import "server-only";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { courseMembers, courses, lessons, videos, watchProgress, watchSessions } from "@/db/schema";
import { watchableStatuses } from "@/lib/videos/status";
import { RETENTION_BUCKETS } from "@/lib/watch/schemas";

/**
 * The learner's progress row on the video, locked until the transaction ends (every batch of theirs on this video
 * waits here: merges never interleave), with the session the batch belongs to when it exists (any user's), and in
 * the same round trip what the caller may do there: the live video, the learner's role on its course (null once
 * they are no longer a member) and whether the course is archived. Undefined when the learner has no progress row
 * on the video yet or the video is deleted.
 *
 * It also turns off `synchronous_commit` for the rest of the transaction (in the same round trip): a batch's commit
 * does not wait for its WAL flush. A database crash may lose the last fraction of a second of batches, all of a
 * batch or none of it (never corrupting anything): acceptable for watch data, and it takes the flush off every
 * one of a thousand commits a second.
 */
export async function lockProgressWithSession({ videoId, userId, sessionId, tx }: { videoId: string; userId: string; sessionId: string; tx: Executor }) {
  const [row] = await tx
    .select({
      progress: watchProgress,
      session: {
        userId: watchSessions.userId,
        videoId: watchSessions.videoId,
        lastSequence: watchSessions.lastSequence,
        recentSequences: watchSessions.recentSequences,
        watchedSeconds: watchSessions.watchedSeconds,
        startedAt: watchSessions.startedAt,
        lastBatchAt: watchSessions.lastBatchAt,
      },
      video: { id: videos.id, courseId: videos.courseId, title: videos.title, status: videos.status, durationSeconds: videos.durationSeconds },
      role: courseMembers.role,
      archived: sql<boolean>`${courses.archivedAt} is not null`,
      relaxedCommit: sql<string>`set_config('synchronous_commit', 'off', true)`,
    })
    .from(watchProgress)
    .innerJoin(videos, and(eq(videos.id, watchProgress.videoId), isNull(videos.deletedAt)))
    .innerJoin(courses, eq(courses.id, videos.courseId))
    .leftJoin(courseMembers, and(eq(courseMembers.courseId, videos.courseId), eq(courseMembers.userId, userId)))
    .leftJoin(watchSessions, eq(watchSessions.id, sessionId))
    .where(and(eq(watchProgress.videoId, videoId), eq(watchProgress.userId, userId)))
    .for("update", { of: watchProgress })
    .limit(1)
    // Named (prepared): one round trip, parsed once per connection (see writeWatchBatch).
    .prepare("lock_watch_progress")
    .execute();
  return row;
}

/** A learner's first progress row on a video (nothing watched yet); an existing one is left alone. */
export async function insertEmptyProgress({ videoId, userId, courseId, retention, tx }: { videoId: string; userId: string; courseId: string; retention: Buffer; tx: Executor }) {
  await tx.insert(watchProgress).values({ videoId, userId, courseId, retention }).onConflictDoNothing().prepare("insert_empty_progress").execute();
}

const progressColumns = {
  videoId: watchProgress.videoId,
  position: watchProgress.position,
  watchedSeconds: watchProgress.watchedSeconds,
  completedAt: watchProgress.completedAt,
  lastWatchedAt: watchProgress.lastWatchedAt,
};
export type ProgressRow = { videoId: string; position: number | null; watchedSeconds: number; completedAt: Date | null; lastWatchedAt: Date };

export async function selectProgress({ videoId, userId, tx = db }: { videoId: string; userId: string; tx?: Executor }): Promise<ProgressRow | undefined> {
  const [row] = await tx
    .select(progressColumns)
    .from(watchProgress)
    .where(and(eq(watchProgress.videoId, videoId), eq(watchProgress.userId, userId)))
    .limit(1);
  return row;
}

/** One learner's rows for many videos at once (primary key lookups). */
export async function selectProgressForVideos({ userId, videoIds, tx = db }: { userId: string; videoIds: readonly string[]; tx?: Executor }): Promise<ProgressRow[]> {
  if (videoIds.length === 0) return [];
  return tx
    .select(progressColumns)
    .from(watchProgress)
    .where(and(eq(watchProgress.userId, userId), inArray(watchProgress.videoId, [...videoIds])));
}

/** A learner's most recently watched videos of a course that they have not completed, newest first. */
export async function selectUnfinishedProgress({ userId, courseId, limit, tx = db }: { userId: string; courseId: string; limit: number; tx?: Executor }): Promise<ProgressRow[]> {
  return tx
    .select(progressColumns)
    .from(watchProgress)
    .innerJoin(videos, eq(videos.id, watchProgress.videoId))
    .where(
      and(
        eq(watchProgress.courseId, courseId),
        eq(watchProgress.userId, userId),
        isNull(watchProgress.completedAt),
        isNull(videos.deletedAt),
        inArray(videos.status, [...watchableStatuses]),
      ),
    )
    .orderBy(desc(watchProgress.lastWatchedAt))
    .limit(limit);
}

const learnerJoin = and(eq(courseMembers.courseId, watchProgress.courseId), eq(courseMembers.userId, watchProgress.userId), eq(courseMembers.role, "viewer"));

/**
 * A video's learners (members with the viewer role) who watched anything, aggregated: how many, their mean unique
 * share, how many completed, and per 1 % of the video how many watched it (a sum over each row's retention bits).
 * With `from`/`to`, only learners with a session started in [from, to). One pass over the video's rows (its
 * primary key prefix) joined to the members' primary key.
 */
export async function selectVideoAudience({ videoId, durationSeconds, from, to, tx = db }: { videoId: string; durationSeconds: number; from?: Date; to?: Date; tx?: Executor }) {
  const bucketSums = sql.join(
    Array.from({ length: RETENTION_BUCKETS }, (_, bucket) => sql.raw(`sum(get_bit(watch_progress.retention, ${bucket}))::int`)),
    sql`, `,
  );
  const inWindow =
    from || to
      ? sql`and ${watchProgress.userId} in (select ${watchSessions.userId} from ${watchSessions} where ${watchSessions.videoId} = ${videoId}${from ? sql` and ${watchSessions.startedAt} >= ${from.toISOString()}::timestamptz` : sql``}${to ? sql` and ${watchSessions.startedAt} < ${to.toISOString()}::timestamptz` : sql``})`
      : sql``;
  const rows = await tx.execute<{ viewers: number; share_sum: number; completed: number; retention: number[] }>(sql`
    select count(*)::int as viewers,
      coalesce(sum(least(1, ${watchProgress.watchedSeconds} / ${durationSeconds}::float8)), 0)::float8 as share_sum,
      count(${watchProgress.completedAt})::int as completed,
      array[${bucketSums}] as retention
    from ${watchProgress}
    join ${courseMembers} on ${learnerJoin}
    where ${watchProgress.videoId} = ${videoId} and ${watchProgress.watchedSeconds} > 0 ${inWindow}`);
  const row = rows[0];
  return { viewers: row?.viewers ?? 0, shareSum: row?.share_sum ?? 0, completed: row?.completed ?? 0, retention: (row?.retention ?? []).map((value) => value ?? 0) };
}

/** The course's watchable videos in outline order: lessons by position (videos outside a lesson last), then position. */
export async function selectCourseWatchableVideos({ courseId, tx = db }: { courseId: string; tx?: Executor }) {
  return tx
    .select({ id: videos.id, title: videos.title, lessonTitle: lessons.title, durationSeconds: videos.durationSeconds })
    .from(videos)
    .leftJoin(lessons, eq(lessons.id, videos.lessonId))
    .where(and(eq(videos.courseId, courseId), isNull(videos.deletedAt), inArray(videos.status, [...watchableStatuses])))
    .orderBy(sql`${lessons.position} asc nulls last`, asc(videos.position), asc(videos.createdAt), asc(videos.id));
}

/** Removes a member's watch data from one course (their progress and sessions there). */
export async function deleteMemberWatchData({ courseId, userId, tx = db }: { courseId: string; userId: string; tx?: Executor }) {
  await tx.delete(watchSessions).where(and(eq(watchSessions.courseId, courseId), eq(watchSessions.userId, userId)));
  await tx.delete(watchProgress).where(and(eq(watchProgress.courseId, courseId), eq(watchProgress.userId, userId)));
}
