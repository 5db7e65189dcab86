import "server-only";
import { db, type Executor } from "@/db";
import { selectCourseForUpdate } from "@/db/queries/courses";
import {
  deleteLessonRow,
  insertLastLesson,
  renumberLessons,
  renumberLessonVideos,
  selectCourseLessons,
  selectLessonForUpdate,
  selectLessonVideoIds,
  selectLessonWithAccess,
  selectOutlineVideos,
  unassignLessonVideos,
  updateLessonTitle,
} from "@/db/queries/lessons";
import type { Lesson } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, authorize, type CourseAccess, loadCourseAccess } from "@/lib/videos/access";
import { visibleStatuses } from "@/lib/videos/policy";
import { idSchema } from "@/lib/videos/schemas";
import { assertSameSet } from "./order";
import type { LessonDto, LessonWithVideos } from "./schemas";

function toLessonDto(lesson: Lesson): LessonDto {
  return {
    id: lesson.id,
    courseId: lesson.courseId,
    title: lesson.title,
    position: lesson.position,
    createdAt: lesson.createdAt.toISOString(),
    updatedAt: lesson.updatedAt.toISOString(),
  };
}

const lessonNotFound = () => AppError.notFound("Lesson not found.");

/** The lesson and the caller's access to its course; strangers (and malformed ids) get "not found". */
async function loadLesson({ actor, lessonId }: { actor: Actor; lessonId: string }): Promise<{ lesson: Lesson } & CourseAccess> {
  const row = idSchema.safeParse(lessonId).success ? await selectLessonWithAccess({ lessonId, userId: actor.id }) : undefined;
  if (!row) throw lessonNotFound();
  return row;
}

/**
 * Locks the course row (lesson writes and archiving serialise on it) and checks, under the lock, that the course
 * is still writable.
 */
async function lockWritableCourse({ courseId, access, tx }: { courseId: string; access: CourseAccess; tx: Executor }) {
  const course = await selectCourseForUpdate({ courseId, tx });
  if (!course) throw AppError.notFound("Course not found.");
  authorize({ role: access.role, archived: course.archivedAt !== null, action: "manageLessons" });
}

/**
 * The course outline: its lessons in order, each with its videos in order. Every member may read it; viewers get
 * ready videos only, as everywhere.
 */
export async function listLessons({ actor, courseId }: { actor: Actor; courseId: string }): Promise<LessonWithVideos[]> {
  const { role } = await loadCourseAccess({ actor, courseId });
  const lessons = await selectCourseLessons({ courseId });
  const videos = await selectOutlineVideos({ lessonIds: lessons.map((lesson) => lesson.id), statuses: visibleStatuses(role) });
  const byLesson = new Map<string, LessonWithVideos["videos"]>();
  for (const { lessonId, id, title, status, durationSeconds } of videos) {
    if (!lessonId) continue;
    const list = byLesson.get(lessonId) ?? [];
    list.push({ id, title, status, durationSeconds });
    byLesson.set(lessonId, list);
  }
  return lessons.map((lesson) => ({ ...toLessonDto(lesson), videos: byLesson.get(lesson.id) ?? [] }));
}

/** A new lesson at the end of the course. */
export async function createLesson({ actor, courseId, title }: { actor: Actor; courseId: string; title: string }): Promise<LessonDto> {
  const access = await loadCourseAccess({ actor, courseId });
  authorize({ ...access, action: "manageLessons" });
  const lesson = await db.transaction(async (tx) => {
    await lockWritableCourse({ courseId, access, tx });
    return insertLastLesson({ courseId, title, tx });
  });
  return toLessonDto(lesson);
}

export async function renameLesson({ actor, lessonId, title }: { actor: Actor; lessonId: string; title: string }): Promise<LessonDto> {
  const { lesson, ...access } = await loadLesson({ actor, lessonId });
  authorize({ ...access, action: "manageLessons" });
  const updated = await db.transaction(async (tx) => {
    await lockWritableCourse({ courseId: lesson.courseId, access, tx });
    return updateLessonTitle({ lessonId, title, tx });
  });
  if (!updated) throw lessonNotFound();
  return toLessonDto(updated);
}

/** Deletes the lesson; its videos stay in the course, unassigned, and the remaining lessons close the gap. */
export async function deleteLesson({ actor, lessonId }: { actor: Actor; lessonId: string }): Promise<void> {
  const { lesson, ...access } = await loadLesson({ actor, lessonId });
  authorize({ ...access, action: "manageLessons" });
  await db.transaction(async (tx) => {
    await lockWritableCourse({ courseId: lesson.courseId, access, tx });
    if (!(await selectLessonForUpdate({ lessonId, tx }))) throw lessonNotFound();
    await unassignLessonVideos({ lessonId, tx });
    await deleteLessonRow({ lessonId, tx });
    const rest = await selectCourseLessons({ courseId: lesson.courseId, tx });
    await renumberLessons({ courseId: lesson.courseId, lessonIds: rest.map((row) => row.id), tx });
  });
}

/** Puts the course's lessons in the given order: the list must be exactly the current lessons. */
export async function reorderLessons({ actor, courseId, lessonIds }: { actor: Actor; courseId: string; lessonIds: string[] }): Promise<LessonDto[]> {
  const access = await loadCourseAccess({ actor, courseId });
  authorize({ ...access, action: "manageLessons" });
  const lessons = await db.transaction(async (tx) => {
    await lockWritableCourse({ courseId, access, tx });
    const current = await selectCourseLessons({ courseId, tx });
    assertSameSet({ current: current.map((lesson) => lesson.id), proposed: lessonIds, noun: "lessons" });
    await renumberLessons({ courseId, lessonIds, tx });
    return selectCourseLessons({ courseId, tx });
  });
  return lessons.map(toLessonDto);
}

/** Puts the lesson's videos in the given order: the list must be exactly its live videos. */
export async function reorderLessonVideos({ actor, lessonId, videoIds }: { actor: Actor; lessonId: string; videoIds: string[] }): Promise<string[]> {
  const { lesson, ...access } = await loadLesson({ actor, lessonId });
  authorize({ ...access, action: "manageLessons" });
  return db.transaction(async (tx) => {
    await lockWritableCourse({ courseId: lesson.courseId, access, tx });
    if (!(await selectLessonForUpdate({ lessonId, tx }))) throw lessonNotFound();
    const current = await selectLessonVideoIds({ lessonId, tx });
    assertSameSet({ current, proposed: videoIds, noun: "videos" });
    await renumberLessonVideos({ lessonId, videoIds, tx });
    return selectLessonVideoIds({ lessonId, tx });
  });
}
