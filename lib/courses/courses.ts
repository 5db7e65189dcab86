import "server-only";
import { selectCourseForMember, selectCoursesForMember, selectLessonsForCourses } from "@/db/queries/courses";
import type { CourseRole } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/videos/schemas";

export type LessonDto = { id: string; title: string };
export type CourseDto = { id: string; title: string; description: string | null; role: CourseRole; lessons: LessonDto[] };

/** The caller's courses (any role) with their lessons in order. */
export async function listMyCourses({ userId }: { userId: string }): Promise<CourseDto[]> {
  const rows = await selectCoursesForMember({ userId });
  const lessons = await selectLessonsForCourses({ courseIds: rows.map((row) => row.id) });
  return rows.map((row) => ({
    ...row,
    lessons: lessons.filter((lesson) => lesson.courseId === row.id).map(({ id, title }) => ({ id, title })),
  }));
}

/** One of the caller's courses; a course they have no role on is "not found", so existence is not revealed. */
export async function getMyCourse({ userId, courseId }: { userId: string; courseId: string }): Promise<CourseDto> {
  const row = idSchema.safeParse(courseId).success ? await selectCourseForMember({ courseId, userId }) : undefined;
  if (!row) throw AppError.notFound("Course not found.");
  const lessons = await selectLessonsForCourses({ courseIds: [row.id] });
  return { ...row, lessons: lessons.map(({ id, title }) => ({ id, title })) };
}
