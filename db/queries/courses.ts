import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { courseMembers, courses, lessons } from "@/db/schema";

/** Courses the user is a member of, with their role, oldest membership first. */
export async function selectCoursesForMember({ userId, tx = db }: { userId: string; tx?: Executor }) {
  return tx
    .select({ id: courses.id, title: courses.title, description: courses.description, role: courseMembers.role })
    .from(courseMembers)
    .innerJoin(courses, eq(courses.id, courseMembers.courseId))
    .where(eq(courseMembers.userId, userId))
    .orderBy(asc(courses.title), asc(courses.id));
}

/** One course with the user's role, or undefined when the user is not a member. */
export async function selectCourseForMember({ courseId, userId, tx = db }: { courseId: string; userId: string; tx?: Executor }) {
  const [row] = await tx
    .select({ id: courses.id, title: courses.title, description: courses.description, role: courseMembers.role })
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
