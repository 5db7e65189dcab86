import type { Metadata } from "next";
import Link from "next/link";
import { listLessons } from "@/lib/courses/lessons";
import { env } from "@/lib/env";
import { canNow, canOnCourse } from "@/lib/videos/policy";
import { listCourseVideos } from "@/lib/videos/videos";
import { progressForVideos, unfinishedVideos } from "@/lib/watch/progress";
import { CourseOutline } from "@/app/components/courses/course-outline";
import { CourseSettings } from "@/app/components/courses/course-settings";
import { ContinueWatching } from "@/app/components/courses/watch-progress";
import { CourseSearch } from "@/app/components/search/course-search";
import { LessonsPanel } from "@/app/components/courses/lessons-panel";
import { UploadWizard } from "@/app/components/upload/upload-wizard";
import { VideoLibrary } from "@/app/components/videos/video-library";
import { loadCourse } from "./load-course";

type Props = { params: Promise<{ courseId: string }> };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await loadCourse((await params).courseId)).course.title };
}

export default async function CoursePage({ params }: Props) {
  const { user, course } = await loadCourse((await params).courseId);
  const archived = course.archivedAt !== null;
  const lessons = await listLessons({ actor: user, courseId: course.id });
  const learner = course.role === "viewer";
  const managesSettings = canOnCourse({ role: course.role, action: "editCourse" }) || canOnCourse({ role: course.role, action: "archiveCourse" });
  const managesLessons = canNow({ role: course.role, action: "manageLessons", archived });
  // Learners get the library too (ready videos only), below the outline: videos in no lesson are found there.
  const videos = await listCourseVideos({ actor: user, courseId: course.id, query: { limit: 20 } });
  // A learner's own progress on the outline's videos, and the last video they left unfinished.
  const outlineVideos = lessons.flatMap((lesson) => lesson.videos);
  const progress = learner ? await progressForVideos({ userId: user.id, videos: outlineVideos }) : undefined;
  const known = new Map([...videos.data, ...outlineVideos].map((video) => [video.id, video.title]));
  const unfinished = learner ? (await unfinishedVideos({ userId: user.id, courseId: course.id })).find((entry) => known.has(entry.videoId)) : undefined;
  return (
    <article className="stack" aria-labelledby="course-heading">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/courses">My courses</Link> / {course.title}
      </nav>
      <header>
        <h1 id="course-heading">{course.title}</h1>
        <span className="badge" aria-label={`Your role: ${course.role}`}>
          {course.role}
        </span>
        {archived ? <span className="badge">Archived</span> : null}
        {course.description ? <p className="muted">{course.description}</p> : null}
        {canOnCourse({ role: course.role, action: "viewMembers" }) ? (
          <p>
            <Link href={`/courses/${course.id}/members`}>Members and invitations</Link>
          </p>
        ) : null}
        {canOnCourse({ role: course.role, action: "viewAccessibility" }) ? (
          <p>
            <Link href={`/courses/${course.id}/accessibility`}>Accessibility</Link>
          </p>
        ) : null}
        {canOnCourse({ role: course.role, action: "viewProgress" }) ? (
          <p>
            <Link href={`/courses/${course.id}/progress`}>Progress</Link>
          </p>
        ) : null}
      </header>
      {archived ? (
        <p className="alert" role="status">
          This course is archived: it is read-only until an owner restores it.
        </p>
      ) : null}
      {unfinished ? <ContinueWatching courseId={course.id} video={{ id: unfinished.videoId, title: known.get(unfinished.videoId) ?? "", position: unfinished.position }} /> : null}
      <CourseSearch courseId={course.id} />
      {managesSettings ? <CourseSettings key={`${course.id}-${course.version}`} initial={course} /> : null}
      {learner ? (
        <section className="card" aria-labelledby="lessons-heading">
          <h2 id="lessons-heading">Lessons</h2>
          <CourseOutline courseId={course.id} lessons={lessons} progress={progress} />
        </section>
      ) : managesLessons ? (
        <LessonsPanel courseId={course.id} initialLessons={lessons} />
      ) : (
        <section className="card" aria-labelledby="lessons-heading">
          <h2 id="lessons-heading">Lessons</h2>
          {course.lessons.length === 0 ? (
            <p className="muted">No lessons yet.</p>
          ) : (
            <ol className="lesson-list">
              {course.lessons.map((lesson) => (
                <li key={lesson.id}>{lesson.title}</li>
              ))}
            </ol>
          )}
        </section>
      )}
      {canNow({ role: course.role, action: "upload", archived }) ? (
        <section className="card stack" aria-labelledby="upload-heading">
          <h2 id="upload-heading">Upload a video</h2>
          <UploadWizard courseId={course.id} lessons={course.lessons} maxBytes={env.MAX_UPLOAD_BYTES} />
        </section>
      ) : null}
      <VideoLibrary courseId={course.id} role={course.role} archived={archived} lessons={course.lessons} initialPage={videos} />
    </article>
  );
}
