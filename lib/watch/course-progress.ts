import "server-only";
import { selectCourseLearnersProgress } from "@/db/queries/course-progress";
import { selectCourseWatchableVideos } from "@/db/queries/watch-progress";
import { type Actor, authorize, loadCourseAccess } from "@/lib/videos/access";
import { csvRow } from "./csv";
import { watchedShare } from "./intervals";
import type { CourseProgress } from "./schemas";

/**
 * `GET /courses/:courseId/progress` (owners, instructors): every learner (viewer role) × every watchable video,
 * with unique share watched and completion. Two queries: the videos, then the learners with their progress rows
 * gathered into arrays by PostgreSQL (a row per learner, not per cell), which are laid out here in video order.
 */
export async function getCourseProgress({ actor, courseId }: { actor: Actor; courseId: string }): Promise<CourseProgress> {
  const access = await loadCourseAccess({ actor, courseId });
  authorize({ ...access, action: "viewProgress" });
  const videos = await selectCourseWatchableVideos({ courseId });
  const rows = await selectCourseLearnersProgress({ courseId, videoIds: videos.map((video) => video.id) });
  return {
    courseId,
    videos,
    learners: rows.map((row) => {
      const shares = new Array<number>(videos.length).fill(0);
      const completed = new Array<boolean>(videos.length).fill(false);
      const places = row.places ?? [];
      for (let index = 0; index < places.length; index++) {
        const at = (places[index] ?? 0) - 1;
        const video = videos[at];
        if (!video) continue;
        shares[at] = watchedShare(row.seconds?.[index] ?? 0, video.durationSeconds);
        completed[at] = row.completed?.[index] ?? false;
      }
      let completedCount = 0;
      let shareSum = 0;
      const entries = videos.map((video, at) => {
        if (completed[at]) completedCount++;
        shareSum += shares[at] ?? 0;
        return { videoId: video.id, watchedShare: shares[at] ?? 0, completed: completed[at] ?? false };
      });
      return {
        userId: row.user_id,
        name: row.name,
        email: row.email,
        videos: entries,
        completedCount,
        averageShareWatched: entries.length === 0 ? 0 : shareSum / entries.length,
        lastWatchedAt: row.last_watched_at,
      };
    }),
  };
}

const percent = (share: number) => Math.round(share * 1000) / 10;

/** The CSV's records: the header, then a learner per row; per video its share watched (%) and whether completed. */
function* courseProgressRecords(progress: CourseProgress): Generator<string> {
  yield csvRow([
    "Name",
    "Email",
    "Videos completed",
    "Average watched (%)",
    "Last watched (UTC)",
    ...progress.videos.flatMap((video) => [`${video.title}: watched (%)`, `${video.title}: completed`]),
  ]);
  for (const learner of progress.learners) {
    yield csvRow([
      learner.name,
      learner.email,
      learner.completedCount,
      percent(learner.averageShareWatched),
      learner.lastWatchedAt,
      ...learner.videos.flatMap((entry) => [percent(entry.watchedShare), entry.completed]),
    ]);
  }
}

/** The progress table as CSV (RFC 4180, CRLF): a learner per row. */
export function courseProgressCsv(progress: CourseProgress): string {
  return [...courseProgressRecords(progress)].join("");
}

/** How many learners' rows go into one chunk of the streamed CSV. */
const CSV_CHUNK_LEARNERS = 100;

/** The same CSV as a byte stream, encoded a hundred learners at a time as the response is read. */
export function courseProgressCsvStream(progress: CourseProgress): ReadableStream<Uint8Array> {
  const records = courseProgressRecords(progress);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = "";
      for (let count = 0; count <= CSV_CHUNK_LEARNERS; count++) {
        const next = records.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}

/** `attachment` with an ASCII file name and its UTF-8 form (RFC 6266). */
export function csvDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "progress.csv";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
