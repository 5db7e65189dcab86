import "server-only";
import { selectCourseLearnerProgress, selectCourseLearners, selectCourseWatchableVideos } from "@/db/queries/watch-progress";
import { type Actor, authorize, loadCourseAccess } from "@/lib/videos/access";
import { toCsv } from "./csv";
import { watchedShare } from "./intervals";
import type { CourseProgress } from "./schemas";

/**
 * `GET /courses/:courseId/progress` (owners, instructors): every learner (viewer role) × every watchable video,
 * with unique share watched and completion. Three queries (videos, learners, the course's progress rows by the
 * course index), joined here.
 */
export async function getCourseProgress({ actor, courseId }: { actor: Actor; courseId: string }): Promise<CourseProgress> {
  const access = await loadCourseAccess({ actor, courseId });
  authorize({ ...access, action: "viewProgress" });
  const [videos, learners, rows] = await Promise.all([selectCourseWatchableVideos({ courseId }), selectCourseLearners({ courseId }), selectCourseLearnerProgress({ courseId })]);
  const byLearner = new Map<string, Map<string, (typeof rows)[number]>>();
  for (const row of rows) {
    let mine = byLearner.get(row.userId);
    if (!mine) byLearner.set(row.userId, (mine = new Map()));
    mine.set(row.videoId, row);
  }
  return {
    courseId,
    videos,
    learners: learners.map((learner) => {
      const mine = byLearner.get(learner.userId);
      const entries = videos.map((video) => {
        const row = mine?.get(video.id);
        return { videoId: video.id, watchedShare: watchedShare(row?.watchedSeconds ?? 0, video.durationSeconds), completed: Boolean(row?.completedAt) };
      });
      const watchedAt = videos.map((video) => mine?.get(video.id)?.lastWatchedAt.getTime() ?? 0);
      const last = Math.max(0, ...watchedAt);
      return {
        ...learner,
        videos: entries,
        completedCount: entries.filter((entry) => entry.completed).length,
        averageShareWatched: entries.length === 0 ? 0 : entries.reduce((sum, entry) => sum + entry.watchedShare, 0) / entries.length,
        lastWatchedAt: last > 0 ? new Date(last).toISOString() : null,
      };
    }),
  };
}

const percent = (share: number) => Math.round(share * 1000) / 10;

/** The progress table as CSV: a learner per row; per video its share watched (%) and whether completed. */
export function courseProgressCsv(progress: CourseProgress): string {
  const header = [
    "Name",
    "Email",
    "Videos completed",
    "Average watched (%)",
    "Last watched (UTC)",
    ...progress.videos.flatMap((video) => [`${video.title}: watched (%)`, `${video.title}: completed`]),
  ];
  const rows = progress.learners.map((learner) => [
    learner.name,
    learner.email,
    learner.completedCount,
    percent(learner.averageShareWatched),
    learner.lastWatchedAt,
    ...learner.videos.flatMap((entry) => [percent(entry.watchedShare), entry.completed]),
  ]);
  return toCsv([header, ...rows]);
}

/** `attachment` with an ASCII file name and its UTF-8 form (RFC 6266). */
export function csvDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "progress.csv";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
