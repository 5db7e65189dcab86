import "server-only";
import { sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { courseMembers, users, watchProgress } from "@/db/schema";

/** One learner of a course with their progress rows on the given videos, one array element per row (any order). */
export type LearnerProgressRow = {
  user_id: string;
  name: string | null;
  email: string;
  /** 1-based places in the `videoIds` given (the course's outline order), null when the learner watched nothing. */
  places: number[] | null;
  /** Unique seconds watched, for the video at the same index of `places`. */
  seconds: number[] | null;
  completed: boolean[] | null;
  /** The latest of those rows' last_watched_at as an ISO datetime (UTC, milliseconds), or null. */
  last_watched_at: string | null;
};

/**
 * Every learner (viewer role) of the course by name, then email, each with their progress rows on `videoIds`
 * gathered into arrays by PostgreSQL: one row per learner instead of one per learner × video, so the table's
 * 20,000 cells (500 × 40) cross the wire and the driver as 500 rows of small arrays. One pass over the course's
 * progress rows (its index), a hash aggregate per learner, joined to the members' primary key. Staff's own watching
 * is left out (only viewers' rows are joined), as are rows on videos not in `videoIds`.
 */
export async function selectCourseLearnersProgress({ courseId, videoIds, tx = db }: { courseId: string; videoIds: readonly string[]; tx?: Executor }) {
  // A Postgres array literal: the ids are the course's videos' own (uuids), never user input.
  const ids = `{${videoIds.join(",")}}`;
  return tx.execute<LearnerProgressRow>(sql`
    with course_videos as (
      select id, place from unnest(${ids}::uuid[]) with ordinality as listed(id, place)
    ),
    watched as (
      select ${watchProgress.userId} as user_id,
        array_agg(course_videos.place::int) as places,
        array_agg(${watchProgress.watchedSeconds}) as seconds,
        array_agg(${watchProgress.completedAt} is not null) as completed,
        max(${watchProgress.lastWatchedAt}) as last_watched_at
      from ${watchProgress}
      join course_videos on course_videos.id = ${watchProgress.videoId}
      where ${watchProgress.courseId} = ${courseId}
      group by ${watchProgress.userId}
    )
    select ${users.id} as user_id, ${users.name} as name, ${users.email} as email, watched.places, watched.seconds, watched.completed,
      to_char(watched.last_watched_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_watched_at
    from ${courseMembers}
    join ${users} on ${users.id} = ${courseMembers.userId}
    left join watched on watched.user_id = ${courseMembers.userId}
    where ${courseMembers.courseId} = ${courseId} and ${courseMembers.role} = 'viewer'
    order by ${users.name} asc nulls last, ${users.email} asc`);
}
