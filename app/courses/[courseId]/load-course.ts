import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireSessionUser } from "@/lib/auth/current-user";
import { getMyCourse } from "@/lib/courses/courses";
import { AppError } from "@/lib/errors";

/**
 * The signed-in user and a course of theirs, for a course page; a course they are not a member of is the 404 page.
 * One read per request: generateMetadata and the page both ask.
 */
export const loadCourse = cache(async (courseId: string) => {
  const user = await requireSessionUser();
  try {
    return { user, course: await getMyCourse({ userId: user.id, courseId }) };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
});
