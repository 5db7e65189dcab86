import { z } from "zod";
import { videoStatusSchema } from "@/lib/videos/schemas";

/** Shared by the search and accessibility routes, the course page and the OpenAPI document. */

export const MAX_SEARCH_QUERY = 200;
export const MAX_SEARCH_OFFSET = 1000;

export const courseSearchQuerySchema = z.object({
  q: z
    .string({ message: "q (the words to search for) is required." })
    .trim()
    .min(1, "q must have at least one character.")
    .max(MAX_SEARCH_QUERY, `q must be at most ${MAX_SEARCH_QUERY} characters.`)
    .describe('Words to find (websearch syntax: "a phrase", or, -word); the last word also matches as a prefix'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).max(MAX_SEARCH_OFFSET).default(0),
});
export type CourseSearchQuery = z.infer<typeof courseSearchQuerySchema>;

/** Text split into the words that matched (`match: true`) and the rest, for the UI to highlight without HTML. */
export const highlightedTextSchema = z.array(z.object({ text: z.string(), match: z.boolean() }));
export type HighlightedText = z.infer<typeof highlightedTextSchema>;

export const searchCueHitSchema = z.object({
  language: z.string(),
  startSeconds: z.number(),
  endSeconds: z.number(),
  text: highlightedTextSchema,
});

export const searchHitSchema = z.object({
  video: z.object({
    id: z.string().uuid(),
    title: z.string(),
    status: videoStatusSchema,
    durationSeconds: z.number().nullable(),
    thumbnailUrl: z.string().nullable(),
  }),
  rank: z.number(),
  title: highlightedTextSchema,
  description: highlightedTextSchema.nullable().describe("An excerpt of the description when it matched"),
  matchedDetails: z.boolean().describe("Whether the title, tags or description matched"),
  cueMatches: z.number().int().describe("How many caption cues matched (the best are in cues)"),
  cues: z.array(searchCueHitSchema).describe("The best matching cues, in time order"),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const courseSearchResultSchema = z.object({
  data: z.array(searchHitSchema),
  nextOffset: z.number().int().nullable().describe("Pass as offset for the next page; null on the last one"),
});
export type CourseSearchResult = z.infer<typeof courseSearchResultSchema>;

export const captionStates = ["none", "unreviewed", "reviewed"] as const;
export type CaptionState = (typeof captionStates)[number];

export const accessibilityVideoSchema = z.object({
  id: z.string().uuid(),
  title: z.string(),
  status: videoStatusSchema,
  durationSeconds: z.number().nullable(),
  captionState: z.enum(captionStates).describe("none: no track; unreviewed: tracks (machine or edited), none reviewed yet; reviewed: a reviewed track"),
  tracks: z.array(z.object({ language: z.string(), label: z.string(), origin: z.string(), reviewed: z.boolean() })),
});
export type AccessibilityVideo = z.infer<typeof accessibilityVideoSchema>;

export const accessibilityReportSchema = z.object({
  data: z.object({
    videos: z.array(accessibilityVideoSchema),
    readySeconds: z.number().describe("Minutes of the course, in seconds: the watchable (ready and playable) videos' durations"),
    reviewedSeconds: z.number().describe("Of those, the seconds of videos with a reviewed caption track"),
    reviewedShare: z.number().nullable().describe("reviewedSeconds / readySeconds (0–1); null when nothing is watchable yet"),
  }),
});
export type AccessibilityReport = z.infer<typeof accessibilityReportSchema>["data"];
