import "server-only";
import { db } from "@/db";
import {
  insertCourseWithOwner,
  selectCourseForMember,
  selectCourseForUpdate,
  selectCoursesForMember,
  selectLessonsForCourses,
  updateCourse,
} from "@/db/queries/courses";
import type { CourseRole } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { type Actor, authorize, loadCourseAccess } from "@/lib/videos/access";
import { canCreateCourse } from "@/lib/videos/policy";
import { idSchema } from "@/lib/videos/schemas";
import type { CourseDto, CreateCourseInput, UpdateCourseInput } from "./schemas";

export type { CourseDto } from "./schemas";
export type LessonSummary = CourseDto["lessons"][number];

type CourseRow = { id: string; title: string; description: string | null; archivedAt: Date | null; version: number; role: CourseRole };

function toCourseDto(row: CourseRow, lessons: { id: string; title: string }[]): CourseDto {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    role: row.role,
    archivedAt: row.archivedAt ? row.archivedAt.toISOString() : null,
    version: row.version,
    lessons,
  };
}

/** The caller's courses (any role) with their lessons in order; archived ones only with `includeArchived`. */
export async function listMyCourses({ userId, includeArchived = false }: { userId: string; includeArchived?: boolean }): Promise<CourseDto[]> {
  const rows = await selectCoursesForMember({ userId, includeArchived });
  const lessons = await selectLessonsForCourses({ courseIds: rows.map((row) => row.id) });
  return rows.map((row) =>
    toCourseDto(
      row,
      lessons.filter((lesson) => lesson.courseId === row.id).map(({ id, title }) => ({ id, title })),
    ),
  );
}

/** One of the caller's courses; a course they have no role on is "not found", so existence is not revealed. */
export async function getMyCourse({ userId, courseId }: { userId: string; courseId: string }): Promise<CourseDto> {
  const row = idSchema.safeParse(courseId).success ? await selectCourseForMember({ courseId, userId }) : undefined;
  if (!row) throw AppError.notFound("Course not found.");
  const lessons = await selectLessonsForCourses({ courseIds: [row.id] });
  return toCourseDto(row, lessons.map(({ id, title }) => ({ id, title })));
}

/** Whether the user may create courses (`COURSE_CREATORS`, `ADMIN_EMAILS`); the "New course" button asks it too. */
export function mayCreateCourses(actor: { email: string }): boolean {
  return canCreateCourse({ email: actor.email, creators: env.COURSE_CREATORS, adminEmails: env.ADMIN_EMAILS });
}

/** A new course with its creator as the owner, in one transaction. */
export async function createCourse({ actor, input }: { actor: Actor & { email: string }; input: CreateCourseInput }): Promise<CourseDto> {
  if (!mayCreateCourses(actor)) {
    throw AppError.forbidden("Only administrators can create courses here. Ask one to create the course and add you to it.");
  }
  const course = await db.transaction((tx) =>
    insertCourseWithOwner({ values: { title: input.title, description: input.description?.trim() ? input.description : null }, ownerId: actor.id, tx }),
  );
  return toCourseDto({ ...course, role: "owner" }, []);
}

/** Edits the title or description; a stale version gets 409 with the current course. */
export async function updateCourseSettings({ actor, courseId, input }: { actor: Actor; courseId: string; input: UpdateCourseInput }): Promise<CourseDto> {
  const access = await loadCourseAccess({ actor, courseId });
  authorize({ ...access, action: "editCourse" });
  const updated = await db.transaction(async (tx) => {
    const current = await selectCourseForUpdate({ courseId, tx });
    if (!current) throw AppError.notFound("Course not found.");
    // Re-checked under the lock: an archive that committed since the check above wins.
    authorize({ role: access.role, archived: current.archivedAt !== null, action: "editCourse" });
    const set: { title?: string; description?: string | null } = {};
    if (input.title !== undefined) set.title = input.title;
    if (input.description !== undefined) set.description = input.description?.trim() ? input.description : null;
    return updateCourse({ courseId, set, expectedVersion: input.version, tx });
  });
  if (updated) return getMyCourse({ userId: actor.id, courseId });
  throw new AppError("conflict", "Someone else changed this course meanwhile. Review their version and apply your change again.", {
    details: { current: await getMyCourse({ userId: actor.id, courseId }) },
  });
}

/** Archives (read-only, hidden from "My courses") or restores the course; owners only. */
export async function setCourseArchived({ actor, courseId, archived }: { actor: Actor; courseId: string; archived: boolean }): Promise<CourseDto> {
  const access = await loadCourseAccess({ actor, courseId });
  const action = archived ? "archiveCourse" : "restoreCourse";
  authorize({ ...access, action });
  await db.transaction(async (tx) => {
    const current = await selectCourseForUpdate({ courseId, tx });
    if (!current) throw AppError.notFound("Course not found.");
    authorize({ role: access.role, archived: current.archivedAt !== null, action });
    if (!archived && current.archivedAt === null) return;
    await updateCourse({ courseId, set: { archivedAt: archived ? new Date() : null }, tx });
  });
  return getMyCourse({ userId: actor.id, courseId });
}

