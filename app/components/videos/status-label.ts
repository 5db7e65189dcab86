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

/** Statuses that still change on their own: pages poll while a video is in one. */
const IN_FLIGHT: ReadonlySet<VideoStatus> = new Set<VideoStatus>(["uploading", "uploaded", "processing"]);

/** A status that still changes on its own (uploading, uploaded, processing). */
export const isStatusInFlight = (status: VideoStatus): boolean => IN_FLIGHT.has(status);

/** A video whose page and list entry still change on their own: in flight, or ready and being reprocessed. */
export function isInFlight(video: { status: VideoStatus; processing: { stage: string | null } }): boolean {
  return isStatusInFlight(video.status) || (video.status === "ready" && video.processing.stage !== null);
}
