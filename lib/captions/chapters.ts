import { z } from "zod";
import { formatWebVttTimestamp } from "./timestamp";

/** Shared by the chapters route, the player and the OpenAPI document. */

export const MAX_CHAPTERS = 200;

export const chapterSchema = z.object({
  startSeconds: z.number({ message: "startSeconds must be a number of seconds." }).min(0, "startSeconds cannot be negative."),
  title: z
    .string()
    .trim()
    .min(1, "Chapter titles cannot be empty.")
    .max(120, "Chapter titles must be at most 120 characters.")
    .refine((value) => !value.includes("\u0000") && !value.includes("-->"), 'Chapter titles must not contain NUL characters or "-->".'),
});
export type ChapterInput = z.infer<typeof chapterSchema>;

export const putChaptersSchema = z
  .object({
    chapters: z.array(chapterSchema).max(MAX_CHAPTERS, `At most ${MAX_CHAPTERS} chapters.`),
    version: z.number().int().min(0).optional().describe("The chapters' version you read (0: none yet); another one on the server gets 409"),
  })
  .strict()
  .superRefine(({ chapters }, context) => {
    chapters.forEach((chapter, index) => {
      const previous = chapters[index - 1];
      if (previous && chapter.startSeconds <= previous.startSeconds) {
        context.addIssue({ code: "custom", path: ["chapters", index, "startSeconds"], message: "Chapters must be in ascending order of their start, each after the one before." });
      }
    });
  });

export const chaptersDtoSchema = z.object({
  chapters: z.array(chapterSchema),
  version: z.number().int().describe("0 while the video has no chapters"),
  vttUrl: z.string().describe("The chapters as a WebVTT chapters track"),
});
export type ChaptersDto = z.infer<typeof chaptersDtoSchema>;

/** The chapters within a video of this duration: each starts before the end (issues at `chapters.N.startSeconds`). */
export function chaptersPastEnd(chapters: ChapterInput[], durationSeconds: number): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  chapters.forEach((chapter, index) => {
    if (chapter.startSeconds >= durationSeconds) {
      fieldErrors[`chapters.${index}.startSeconds`] = [`The chapter starts at or after the video's end (${formatWebVttTimestamp(durationSeconds)}).`];
    }
  });
  return fieldErrors;
}

/** A WebVTT chapters track: each chapter runs until the next starts, the last until the video's end. */
export function chaptersWebVtt(chapters: ChapterInput[], durationSeconds: number): string {
  const cues = chapters.map((chapter, index) => {
    const end = chapters[index + 1]?.startSeconds ?? Math.max(durationSeconds, chapter.startSeconds + 0.001);
    return `${index + 1}\n${formatWebVttTimestamp(chapter.startSeconds)} --> ${formatWebVttTimestamp(end)}\n${chapter.title.replace(/&/g, "&amp;").replace(/</g, "&lt;")}`;
  });
  return ["WEBVTT", ...cues].join("\n\n") + "\n";
}
