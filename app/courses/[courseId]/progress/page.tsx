import type { Metadata } from "next";
import Link from "next/link";
import { CourseProgressTable } from "@/app/components/analytics/course-progress-table";
import { canOnCourse } from "@/lib/videos/policy";
import { getCourseProgress } from "@/lib/watch/course-progress";
import { COMPLETION_SHARE } from "@/lib/watch/schemas";
import { loadCourse } from "../load-course";

type Props = { params: Promise<{ courseId: string }> };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Progress · ${(await loadCourse((await params).courseId)).course.title}` };
}

/** The course's learners × videos (owners and instructors): share watched and completion, sortable, as CSV too. */
export default async function CourseProgressPage({ params }: Props) {
  const { user, course } = await loadCourse((await params).courseId);
  const allowed = canOnCourse({ role: course.role, action: "viewProgress" });
  const progress = allowed ? await getCourseProgress({ actor: user, courseId: course.id }) : undefined;
  return (
    <article className="stack" aria-labelledby="progress-heading">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/courses">My courses</Link> / <Link href={`/courses/${course.id}`}>{course.title}</Link> / Progress
      </nav>
      <h1 id="progress-heading">Progress in {course.title}</h1>
      {!progress ? (
        <p role="alert" className="alert">
          Only the course&apos;s owners and instructors can see its learners&apos; progress.
        </p>
      ) : (
        <section className="card stack" aria-label="Learners' progress">
          <div className="library-header">
            <p className="muted">
              Share of each video watched (unique seconds: rewatching does not count twice); a video is completed at {Math.round(COMPLETION_SHARE * 100)}%.
            </p>
            <a className="button secondary" href={`/api/v1/education/courses/${course.id}/progress?format=csv`} download>
              Download CSV
            </a>
          </div>
          <CourseProgressTable courseId={course.id} initial={progress} />
        </section>
      )}
    </article>
  );
}
