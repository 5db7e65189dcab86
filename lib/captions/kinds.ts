/** Pure, so db/schema.ts, the shared zod schemas and the player can all use them. */
export const captionKinds = ["captions", "subtitles"] as const;
export const captionOrigins = ["uploaded", "machine", "edited"] as const;
export type CaptionKind = (typeof captionKinds)[number];
export type CaptionOrigin = (typeof captionOrigins)[number];
/** A video's machine-caption job: queued, running, failed (with a reason) or done. */
export const transcriptionStatuses = ["queued", "running", "failed", "done"] as const;
export type TranscriptionStatus = (typeof transcriptionStatuses)[number];
