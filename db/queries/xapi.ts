import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { courses, videos, watchProgress, watchSessions } from "@/db/schema";

/**
 * What the xAPI statements of a recorded batch need beyond the batch, read in its transaction (so after its writes):
 * the course's title, the video's language, the learner's merged intervals and the seconds they played in all
 * their sessions of the video.
 */
export async function selectStatementSubject({ videoId, userId, tx }: { videoId: string; userId: string; tx: Executor }) {
  const [row] = await tx
    .select({
      courseTitle: courses.title,
      language: sql<string | null>`${videos.metadata} ->> 'language'`,
      intervals: watchProgress.intervals,
      playedSeconds: sql<number>`(select coalesce(sum(${watchSessions.watchedSeconds}), 0) from ${watchSessions} where ${watchSessions.videoId} = ${videoId} and ${watchSessions.userId} = ${userId})`.mapWith(Number),
    })
    .from(videos)
    .innerJoin(courses, eq(courses.id, videos.courseId))
    .innerJoin(watchProgress, and(eq(watchProgress.videoId, videos.id), eq(watchProgress.userId, userId)))
    .where(eq(videos.id, videoId))
    .limit(1);
  return row;
}
