import "server-only";
import { selectCourseCaptionStates } from "@/db/queries/course-search";
import { type Actor, authorize, loadCourseAccess } from "@/lib/videos/access";
import { isWatchable } from "@/lib/videos/status";
import type { AccessibilityReport, CaptionState } from "./schemas";

export function captionState(tracks: readonly { reviewed: boolean }[]): CaptionState {
  if (tracks.some((track) => track.reviewed)) return "reviewed";
  return tracks.length > 0 ? "unreviewed" : "none";
}

/**
 * Each video's caption state, and the share of the course's minutes (its watchable videos' durations: ready, and playable ones, which
 * learners already watch while their quality improves) that have a
 * reviewed track: what WCAG 1.2.2 asks of prerecorded video. Staff only (owners, instructors, editors).
 */
export async function courseAccessibility({ actor, courseId }: { actor: Actor; courseId: string }): Promise<AccessibilityReport> {
  const access = await loadCourseAccess({ actor, courseId });
  authorize({ ...access, action: "viewAccessibility" });
  const rows = await selectCourseCaptionStates({ courseId });
  const videos = rows.map((row) => ({ ...row, captionState: captionState(row.tracks) }));
  let readySeconds = 0;
  let reviewedSeconds = 0;
  for (const video of videos) {
    if (!isWatchable(video.status)) continue;
    const seconds = video.durationSeconds ?? 0;
    readySeconds += seconds;
    if (video.captionState === "reviewed") reviewedSeconds += seconds;
  }
  return { videos, readySeconds, reviewedSeconds, reviewedShare: readySeconds > 0 ? reviewedSeconds / readySeconds : null };
}
