import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { type Course, courseMembers, courses, lessons } from "@/db/schema";

const courseColumns = {
  id: courses.id,
  title: courses.title,
  description: courses.description,
  archivedAt: courses.archivedAt,
  version: courses.version,
  role: courseMembers.role,
};

/** Courses the user is a member of, with their role, by title; archived ones only when asked for. */
export async function selectCoursesForMember({ userId, includeArchived = false, tx = db }: { userId: string; includeArchived?: boolean; tx?: Executor }) {
  return tx
    .select(courseColumns)
    .from(courseMembers)
    .innerJoin(courses, eq(courses.id, courseMembers.courseId))
    .where(and(eq(courseMembers.userId, userId), includeArchived ? undefined : isNull(courses.archivedAt)))
    .orderBy(asc(courses.title), asc(courses.id));
}

/** One course with the user's role, or undefined when the user is not a member. */
export async function selectCourseForMember({ courseId, userId, tx = db }: { courseId: string; userId: string; tx?: Executor }) {
  const [row] = await tx
    .select(courseColumns)
    .from(courseMembers)
    .innerJoin(courses, eq(courses.id, courseMembers.courseId))
    .where(and(eq(courseMembers.courseId, courseId), eq(courseMembers.userId, userId)))
    .limit(1);
  return row;
}

export async function selectLessonsForCourses({ courseIds, tx = db }: { courseIds: string[]; tx?: Executor }) {
  if (courseIds.length === 0) return [];
  return tx
    .select({ id: lessons.id, courseId: lessons.courseId, title: lessons.title, position: lessons.position })
    .from(lessons)
    .where(inArray(lessons.courseId, courseIds))
    .orderBy(asc(lessons.courseId), asc(lessons.position));
}

/** A new course and its creator as owner (run it in a transaction: both rows or neither). */
export async function insertCourseWithOwner({
  values,
  ownerId,
  tx,
}: {
  values: { title: string; description: string | null };
  ownerId: string;
  tx: Executor;
}): Promise<Course> {
  const [course] = await tx.insert(courses).values(values).returning();
  if (!course) throw new Error("insert into courses returned no row");
  await tx.insert(courseMembers).values({ courseId: course.id, userId: ownerId, role: "owner" });
  return course;
}

/**
 * The course, locked until the transaction ends: lesson writes and archiving take this lock first, so they run
 * one after the other and see each other's result (an archive cannot slip between a check and a write).
 */
export async function selectCourseForUpdate({ courseId, tx }: { courseId: string; tx: Executor }): Promise<Course | undefined> {
  const [row] = await tx.select().from(courses).where(eq(courses.id, courseId)).for("update").limit(1);
  return row;
}

/** Updates the course and bumps its version; with `expectedVersion`, only while the row still has it. */
export async function updateCourse({
  courseId,
  set,
  expectedVersion,
  tx = db,
}: {
  courseId: string;
  set: Partial<Pick<Course, "title" | "description" | "archivedAt">>;
  expectedVersion?: number;
  tx?: Executor;
}): Promise<Course | undefined> {
  const [row] = await tx
    .update(courses)
    .set({ ...set, version: sql`${courses.version} + 1`, updatedAt: new Date() })
    .where(and(eq(courses.id, courseId), expectedVersion === undefined ? undefined : eq(courses.version, expectedVersion)))
    .returning();
  return row;
}

export async function selectCourse({ courseId, tx = db }: { courseId: string; tx?: Executor }): Promise<Course | undefined> {
  const [row] = await tx.select().from(courses).where(eq(courses.id, courseId)).limit(1);
  return row;
}
