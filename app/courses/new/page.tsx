import type { Metadata } from "next";
import Link from "next/link";
import { requireSessionUser } from "@/lib/auth/current-user";
import { mayCreateCourses } from "@/lib/courses/courses";
import { NewCourseForm } from "@/app/components/courses/new-course-form";

export const metadata: Metadata = { title: "New course" };

export default async function NewCoursePage() {
  const user = await requireSessionUser();
  return (
    <section aria-labelledby="new-course-heading" className="stack">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/courses">My courses</Link> / New course
      </nav>
      <h1 id="new-course-heading">New course</h1>
      {mayCreateCourses(user) ? (
        <NewCourseForm />
      ) : (
        <p className="card" role="alert">
          Only administrators can create courses here. Ask one to create the course and add you to it.
        </p>
      )}
    </section>
  );
}
