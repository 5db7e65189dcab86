import type { VideoStatus } from "@/lib/videos/status";

export const STATUS_LABEL: Record<VideoStatus, string> = {
  uploading: "Uploading",
  uploaded: "Uploaded",
  processing: "Processing",
  playable: "Playable",
  ready: "Ready",
  failed: "Failed",
  aborted: "Aborted",
};

/**
 * Statuses that still change on their own: pages poll while a video is in one. A playable video's renditions still
 * join its master playlist (and it becomes ready), so its page and the player learn of them by polling.
 */
const IN_FLIGHT: ReadonlySet<VideoStatus> = new Set<VideoStatus>(["uploading", "uploaded", "processing", "playable"]);

/** A status that still changes on its own (uploading, uploaded, processing, playable). */
export const isStatusInFlight = (status: VideoStatus): boolean => IN_FLIGHT.has(status);

/** A video whose page and list entry still change on their own: in flight, or ready and being reprocessed. */
export function isInFlight(video: { status: VideoStatus; processing: { stage: string | null } }): boolean {
  return isStatusInFlight(video.status) || (video.status === "ready" && video.processing.stage !== null);
}

/**
 * The status badge's text. Staff (`seesProcessing`) read how far a playable video's ladder is ("Playable · improving
 * quality · 40%"); viewers just watch it.
 */
export function statusText(video: { status: VideoStatus; processing: { progressPercent: number } }, { seesProcessing }: { seesProcessing: boolean }): string {
  if (video.status === "playable" && seesProcessing) return `${STATUS_LABEL.playable} · improving quality · ${video.processing.progressPercent}%`;
  return STATUS_LABEL[video.status];
}
