import { isWatchable, type VideoStatus } from "@/lib/videos/status";

export const STATUS_LABEL: Record<VideoStatus, string> = {
  uploading: "Uploading",
  uploaded: "Uploaded",
  processing: "Processing",
  playable: "Playable",
  ready: "Ready",
  failed: "Failed",
  aborted: "Aborted",
};

/** Statuses that still change on their own: pages poll while a video is in one. */
const IN_FLIGHT: ReadonlySet<VideoStatus> = new Set<VideoStatus>(["uploading", "uploaded", "processing"]);

/** A status that still changes on its own (uploading, uploaded, processing). */
export const isStatusInFlight = (status: VideoStatus): boolean => IN_FLIGHT.has(status);

/**
 * A video whose page and list entry still change on their own: in flight, or watchable with a run going (a ready video
 * reprocessed; a playable one whose renditions still join its master, which the page and the player learn by polling).
 */
export function isInFlight(video: { status: VideoStatus; processing: { stage: string | null } }): boolean {
  return isStatusInFlight(video.status) || (isWatchable(video.status) && video.processing.stage !== null);
}

/**
 * The status badge's text. Staff (`seesProcessing`) read how far a playable video's ladder is ("Playable · improving
 * quality · 40%"); viewers just watch it.
 */
export function statusText(video: { status: VideoStatus; processing: { progressPercent: number; stage: string | null } }, { seesProcessing }: { seesProcessing: boolean }): string {
  if (video.status === "playable" && seesProcessing && video.processing.stage !== null) {
    return `${STATUS_LABEL.playable} · improving quality · ${video.processing.progressPercent}%`;
  }
  return STATUS_LABEL[video.status];
}
