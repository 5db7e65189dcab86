import "server-only";
import { and, asc, eq, inArray, isNull, max, type SQL, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { courseMembers, courses, type Lesson, lessons, type VideoStatus, videos } from "@/db/schema";

/** A course's lessons in order. */
export async function selectCourseLessons({ courseId, tx = db }: { courseId: string; tx?: Executor }): Promise<Lesson[]> {
  return tx.select().from(lessons).where(eq(lessons.courseId, courseId)).orderBy(asc(lessons.position));
}

/** The lesson, the user's role on its course and whether the course is archived; undefined when the user is no member. */
export async function selectLessonWithAccess({ lessonId, userId, tx = db }: { lessonId: string; userId: string; tx?: Executor }) {
  const [row] = await tx
    .select({ lesson: lessons, role: courseMembers.role, archived: sql<boolean>`${courses.archivedAt} is not null` })
    .from(lessons)
    .innerJoin(courseMembers, and(eq(courseMembers.courseId, lessons.courseId), eq(courseMembers.userId, userId)))
    .innerJoin(courses, eq(courses.id, lessons.courseId))
    .where(eq(lessons.id, lessonId))
    .limit(1);
  return row;
}

/** The lesson, locked until the transaction ends (serialises its video order: reorders, uploads and moves into it). */
export async function selectLessonForUpdate({ lessonId, tx }: { lessonId: string; tx: Executor }): Promise<Lesson | undefined> {
  const [row] = await tx.select().from(lessons).where(eq(lessons.id, lessonId)).for("update").limit(1);
  return row;
}

/** A lesson at the end of the course: call it holding the course's row lock, which makes the next position safe. */
export async function insertLastLesson({ courseId, title, tx }: { courseId: string; title: string; tx: Executor }): Promise<Lesson> {
  const [row] = await tx
    .insert(lessons)
    .values({
      courseId,
      title,
      position: sql`(select coalesce(max(${lessons.position}), 0) + 1 from ${lessons} where ${lessons.courseId} = ${courseId})`,
    })
    .returning();
  if (!row) throw new Error("insert into lessons returned no row");
  return row;
}

export async function updateLessonTitle({ lessonId, title, tx = db }: { lessonId: string; title: string; tx?: Executor }): Promise<Lesson | undefined> {
  const [row] = await tx.update(lessons).set({ title, updatedAt: new Date() }).where(eq(lessons.id, lessonId)).returning();
  return row;
}

export async function deleteLessonRow({ lessonId, tx }: { lessonId: string; tx: Executor }) {
  await tx.delete(lessons).where(eq(lessons.id, lessonId));
}

/** `(values (id, 1), (id, 2), …)`: the wanted order as a relation to join on. */
function orderValues(ids: readonly string[]): SQL {
  return sql`(values ${sql.join(
    ids.map((id, index) => sql`(${id}::uuid, ${index + 1}::int)`),
    sql`, `,
  )}) as wanted(id, position)`;
}

/**
 * Numbers the course's lessons 1…n in the given order. The unique (course_id, position) index is checked row by
 * row, so one UPDATE could collide midway (lesson A takes 2 while B still holds it): the first pass parks every
 * lesson on a negative position no live one uses, the second flips them positive. Hold the course's row lock.
 */
export async function renumberLessons({ courseId, lessonIds, tx }: { courseId: string; lessonIds: readonly string[]; tx: Executor }) {
  if (lessonIds.length === 0) return;
  await tx.execute(sql`
    update ${lessons} set position = -wanted.position, updated_at = now()
    from ${orderValues(lessonIds)}
    where ${lessons.id} = wanted.id and ${lessons.courseId} = ${courseId}`);
  await tx.execute(sql`update ${lessons} set position = -position where ${lessons.courseId} = ${courseId} and position < 0`);
}

/** The lesson's live videos in order (position, then creation). */
export async function selectLessonVideoIds({ lessonId, tx = db }: { lessonId: string; tx?: Executor }): Promise<string[]> {
  const rows = await tx
    .select({ id: videos.id })
    .from(videos)
    .where(and(eq(videos.lessonId, lessonId), isNull(videos.deletedAt)))
    .orderBy(asc(videos.position), asc(videos.createdAt), asc(videos.id));
  return rows.map((row) => row.id);
}

/** Numbers the lesson's videos 1…n in the given order (no unique index on it: one statement). Hold the lesson's row lock. */
export async function renumberLessonVideos({ lessonId, videoIds, tx }: { lessonId: string; videoIds: readonly string[]; tx: Executor }) {
  if (videoIds.length === 0) return;
  await tx.execute(sql`
    update ${videos} set position = wanted.position, updated_at = now()
    from ${orderValues(videoIds)}
    where ${videos.id} = wanted.id and ${videos.lessonId} = ${lessonId}`);
}

/** The position after the lesson's last video: call it holding the lesson's row lock, so two uploads never share one. */
export async function nextVideoPosition({ lessonId, tx }: { lessonId: string; tx: Executor }): Promise<number> {
  const [row] = await tx
    .select({ last: max(videos.position) })
    .from(videos)
    .where(and(eq(videos.lessonId, lessonId), isNull(videos.deletedAt)));
  return (row?.last ?? 0) + 1;
}

/** Takes every video (deleted ones too) out of the lesson, before the lesson goes: they stay in the course, unassigned. */
export async function unassignLessonVideos({ lessonId, tx }: { lessonId: string; tx: Executor }) {
  await tx.update(videos).set({ lessonId: null, position: 0, updatedAt: new Date() }).where(eq(videos.lessonId, lessonId));
}

/** The live videos of the given lessons, in lesson order then their own (the course outline); `statuses` narrows them. */
export function outlineVideosQuery({ lessonIds, statuses, tx = db }: { lessonIds: readonly string[]; statuses?: readonly VideoStatus[]; tx?: Executor }) {
  return tx
    .select({
      id: videos.id,
      lessonId: videos.lessonId,
      title: videos.title,
      status: videos.status,
      durationSeconds: videos.durationSeconds,
      position: videos.position,
    })
    .from(videos)
    .where(and(inArray(videos.lessonId, [...lessonIds]), isNull(videos.deletedAt), statuses ? inArray(videos.status, [...statuses]) : undefined))
    .orderBy(asc(videos.lessonId), asc(videos.position), asc(videos.createdAt), asc(videos.id));
}

export async function selectOutlineVideos(input: Parameters<typeof outlineVideosQuery>[0]) {
  if (input.lessonIds.length === 0) return [];
  return outlineVideosQuery(input);
}

/** Locks the lesson and returns the position after its last video (for a video joining it). */
export async function lockNextVideoPosition({ lessonId, tx }: { lessonId: string; tx: Executor }): Promise<number> {
  await selectLessonForUpdate({ lessonId, tx });
  return nextVideoPosition({ lessonId, tx });
}
