import Link from "next/link";
import type { LessonWithVideos } from "@/lib/courses/schemas";
import type { VideoProgress } from "@/lib/watch/schemas";
import { formatDuration } from "../upload/format";
import { VideoProgressBar } from "./watch-progress";

/**
 * What a learner sees of a course: its lessons in order, each with its videos in order, their durations and, with
 * `progress`, how much of each the learner watched.
 */
export function CourseOutline({ courseId, lessons, progress }: { courseId: string; lessons: LessonWithVideos[]; progress?: Map<string, VideoProgress> }) {
  if (lessons.length === 0) return <p className="muted">No lessons yet.</p>;
  return (
    <ol className="lesson-list" aria-label="Lessons">
      {lessons.map((lesson) => (
        <li key={lesson.id}>
          <h3>{lesson.title}</h3>
          {lesson.videos.length === 0 ? (
            <p className="muted">No videos to watch yet.</p>
          ) : (
            <ol className="outline-videos" aria-label={`Videos of ${lesson.title}`}>
              {lesson.videos.map((video) => (
                <li key={video.id}>
                  <Link href={`/courses/${courseId}/videos/${video.id}`}>{video.title}</Link>
                  {video.durationSeconds !== null ? (
                    <span className="muted" aria-label={`Duration ${formatDuration(video.durationSeconds)}`}>
                      {" "}
                      · {formatDuration(video.durationSeconds)}
                    </span>
                  ) : null}
                  <OutlineProgress progress={progress?.get(video.id)} />
                </li>
              ))}
            </ol>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Only videos the learner has started get a bar: a column of "0 % watched" says nothing. */
function OutlineProgress({ progress }: { progress: VideoProgress | undefined }) {
  return progress && (progress.completed || progress.watchedShare > 0) ? <VideoProgressBar progress={progress} /> : null;
}
