import type { Metadata } from "next";
import Link from "next/link";
import { requireSessionUser } from "@/lib/auth/current-user";
import { listMyCourses } from "@/lib/courses/courses";

export const metadata: Metadata = { title: "My courses" };

export default async function MyCoursesPage() {
  const user = await requireSessionUser();
  const courses = await listMyCourses({ userId: user.id });

  return (
    <section aria-labelledby="courses-heading" className="stack">
      <h1 id="courses-heading">My courses</h1>
      {courses.length === 0 ? (
        <div className="card empty">
          <p>You are not a member of any course yet.</p>
          <p>Ask a course owner to add you.</p>
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
