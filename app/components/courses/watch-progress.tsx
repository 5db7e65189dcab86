import Link from "next/link";
import type { VideoProgress } from "@/lib/watch/schemas";
import { ProgressBar } from "../progress-bar";
import { formatDuration } from "../upload/format";

/** "45 % watched" or "Completed": the accessible name of a learner's progress bar on one video, and its text. */
export function progressLabel(progress: Pick<VideoProgress, "watchedShare" | "completed">): string {
  return progress.completed ? "Completed" : `${Math.floor(progress.watchedShare * 100)} % watched`;
}

/** A learner's own progress on one video of the outline: a small bar and its label. */
export function VideoProgressBar({ progress }: { progress: VideoProgress }) {
  const label = progressLabel(progress);
  return (
    <span className="outline-progress">
      <ProgressBar small label={label} percent={progress.completed ? 100 : Math.floor(progress.watchedShare * 100)} />
      <span aria-hidden="true">{label}</span>
    </span>
  );
}

/** The most recent video the learner started and did not finish, opening where they stopped. */
export function ContinueWatching({ courseId, video }: { courseId: string; video: { id: string; title: string; position: number | null } }) {
  return (
    <section className="card continue-watching" aria-labelledby="continue-heading">
      <h2 id="continue-heading">Continue watching</h2>
      <Link className="button" href={`/courses/${courseId}/videos/${video.id}`}>
        {video.title}
        {video.position ? ` · from ${formatDuration(video.position)}` : ""}
      </Link>
    </section>
  );
}
