import type { VideoStatus } from "@/db/schema";

/** Which status may follow which. Everything that changes a video's status asks here. */
const TRANSITIONS: Record<VideoStatus, readonly VideoStatus[]> = {
  uploading: ["uploaded", "aborted", "failed"],
  uploaded: ["processing", "failed"],
  // processing → processing records progress; failed → processing is a retry; ready → processing a reprocess.
  processing: ["processing", "ready", "failed"],
  failed: ["processing"],
  ready: ["processing"],
  aborted: [],
};

export function canTransition({ from, to }: { from: VideoStatus; to: VideoStatus }): boolean {
  return TRANSITIONS[from].includes(to);
}
