/** Every status a video can have: the column's type and check constraint, the API's enum and the UI's labels. */
export const videoStatuses = ["uploading", "uploaded", "processing", "playable", "ready", "failed", "aborted"] as const;
export type VideoStatus = (typeof videoStatuses)[number];

/**
 * Statuses a video can be watched in: `playable` (its first rendition is published, the rest of the ladder is still
 * being encoded) and `ready` (the whole ladder is published).
 */
export const watchableStatuses = ["playable", "ready"] as const satisfies readonly VideoStatus[];

export function isWatchable(status: VideoStatus): boolean {
  return (watchableStatuses as readonly VideoStatus[]).includes(status);
}

/** Which status may follow which. Everything that changes a video's status asks here. */
const TRANSITIONS: Record<VideoStatus, readonly VideoStatus[]> = {
  uploading: ["uploaded", "aborted", "failed"],
  uploaded: ["processing", "failed"],
  // processing → processing records progress; failed → processing is a retry. A reprocessed ready video stays
  // ready (playable) while it runs, and ready → ready publishes its new renditions.
  // processing → playable publishes the first rendition (progressive publishing); playable → ready the full ladder.
  processing: ["processing", "playable", "ready", "failed"],
  playable: ["playable", "ready", "failed"],
  failed: ["processing"],
  ready: ["ready"],
  aborted: [],
};

export function canTransition({ from, to }: { from: VideoStatus; to: VideoStatus }): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * A replacement source's lifecycle (`video_replacements`): `uploading` → `uploaded` (its processing is queued or
 * running) → `published` (the video now plays it), or `aborted` / `failed` (the video keeps its published version).
 * `uploading` and `uploaded` are active: one at a time per video.
 */
export const replacementStatuses = ["uploading", "uploaded", "published", "failed", "aborted"] as const;
export type ReplacementStatus = (typeof replacementStatuses)[number];
export const activeReplacementStatuses = ["uploading", "uploaded"] as const satisfies readonly ReplacementStatus[];
