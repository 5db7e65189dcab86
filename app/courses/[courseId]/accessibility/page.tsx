import type { Metadata } from "next";
import Link from "next/link";
import { formatDuration } from "@/app/components/upload/format";
import { STATUS_LABEL } from "@/app/components/videos/status-label";
import { courseAccessibility } from "@/lib/search/accessibility";
import type { CaptionState } from "@/lib/search/schemas";
import { canOnCourse } from "@/lib/videos/policy";
import { loadCourse } from "../load-course";

type Props = { params: Promise<{ courseId: string }> };

const STATE_LABEL: Record<CaptionState, string> = { none: "No captions", unreviewed: "Captions not reviewed", reviewed: "Reviewed captions" };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Accessibility · ${(await loadCourse((await params).courseId)).course.title}` };
}

export default async function AccessibilityPage({ params }: Props) {
  const { user, course } = await loadCourse((await params).courseId);
  const allowed = canOnCourse({ role: course.role, action: "viewAccessibility" });
  const report = allowed ? await courseAccessibility({ actor: user, courseId: course.id }) : undefined;
  return (
    <article className="stack" aria-labelledby="accessibility-heading">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/courses">My courses</Link> / <Link href={`/courses/${course.id}`}>{course.title}</Link> / Accessibility
      </nav>
      <h1 id="accessibility-heading">Accessibility of {course.title}</h1>
      {!report ? (
        <p role="alert" className="alert">
          Only the course&apos;s owners, instructors and editors can see its accessibility report.
        </p>
      ) : (
        <>
          <section className="card stack" aria-labelledby="accessibility-summary-heading">
            <h2 id="accessibility-summary-heading">Reviewed captions</h2>
            <p data-testid="reviewed-share">
              {report.reviewedShare === null
                ? "No video can be watched yet."
                : `${Math.round(report.reviewedShare * 100)}% of the course's minutes have reviewed captions (${formatDuration(report.reviewedSeconds)} of ${formatDuration(report.readySeconds)}).`}
            </p>
            <p className="muted">WCAG 2.1 AA (1.2.2) asks for captions on every prerecorded video. Machine captions count once someone has reviewed them.</p>
          </section>
          <section className="card stack" aria-labelledby="accessibility-videos-heading">
            <h2 id="accessibility-videos-heading">Videos</h2>
            {report.videos.length === 0 ? (
              <p className="muted">No videos yet.</p>
            ) : (
              <div className="table-scroll">
              <table className="accessibility-table">
                <thead>
                  <tr>
                    <th scope="col">Video</th>
                    <th scope="col">Status</th>
                    <th scope="col">Length</th>
                    <th scope="col">Captions</th>
                  </tr>
                </thead>
                <tbody>
                  {report.videos.map((video) => (
                    <tr key={video.id}>
                      <th scope="row">
                        <Link href={`/courses/${course.id}/videos/${video.id}`}>{video.title}</Link>
                      </th>
                      <td>{STATUS_LABEL[video.status]}</td>
                      <td>{video.durationSeconds === null ? "—" : formatDuration(video.durationSeconds)}</td>
                      <td>
                        {STATE_LABEL[video.captionState]}
                        {video.tracks.length > 0 ? <span className="muted"> ({video.tracks.map((track) => `${track.label}: ${track.origin}${track.reviewed ? ", reviewed" : ""}`).join("; ")})</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            )}
          </section>
        </>
      )}
    </article>
  );
}
