import type { Metadata } from "next";
import Link from "next/link";
import { requireSessionUser } from "@/lib/auth/current-user";
import { listMyCourses, mayCreateCourses } from "@/lib/courses/courses";

export const metadata: Metadata = { title: "My courses" };

type Props = { searchParams: Promise<{ include?: string | string[] }> };

export default async function MyCoursesPage({ searchParams }: Props) {
  const user = await requireSessionUser();
  const includeArchived = (await searchParams).include === "archived";
  const courses = await listMyCourses({ userId: user.id, includeArchived });

  return (
    <section aria-labelledby="courses-heading" className="stack">
      <h1 id="courses-heading">My courses</h1>
      <div className="actions">
        {mayCreateCourses(user) ? (
          <Link className="button" href="/courses/new">
            New course
          </Link>
        ) : null}
        <Link href={includeArchived ? "/courses" : "/courses?include=archived"}>{includeArchived ? "Hide archived courses" : "Show archived courses"}</Link>
      </div>
      {courses.length === 0 ? (
        <div className="card empty">
          <p>You are not a member of any course yet.</p>
          <p>Ask a course owner to add you{mayCreateCourses(user) ? ", or create one" : ""}.</p>
        </div>
      ) : (
        <ul className="course-grid" aria-label="Courses">
          {courses.map((course) => (
            <li key={course.id} className="card course-card stack">
              <div>
                <h2>
                  <Link href={`/courses/${course.id}`}>{course.title}</Link>
                </h2>
                <span className="badge" aria-label={`Your role: ${course.role}`}>
                  {course.role}
                </span>
                {course.archivedAt ? <span className="badge">Archived</span> : null}
              </div>
              <p className="muted">
                {course.lessons.length === 1 ? "1 lesson" : `${course.lessons.length} lessons`}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
