/** Pure, so db/schema.ts, the shared zod schemas and the player can all use them. */
export const captionKinds = ["captions", "subtitles"] as const;
export const captionOrigins = ["uploaded", "machine", "edited"] as const;
export type CaptionKind = (typeof captionKinds)[number];
export type CaptionOrigin = (typeof captionOrigins)[number];
