import { describe, expect, it } from "vitest";
import { chaptersPastEnd, chaptersWebVtt, putChaptersSchema } from "@/lib/captions/chapters";
import { parseWebVtt } from "@/lib/captions/webvtt";

describe("chapters", () => {
  it("accepts ascending chapters with titles of 1–120 characters", () => {
    expect(putChaptersSchema.parse({ chapters: [{ startSeconds: 0, title: " Intro " }, { startSeconds: 4.5, title: "Pricing" }] })).toEqual({
      chapters: [
        { startSeconds: 0, title: "Intro" },
        { startSeconds: 4.5, title: "Pricing" },
      ],
    });
  });

  it("refuses chapters out of order, negative starts and bad titles, each at its field", () => {
    const result = putChaptersSchema.safeParse({
      chapters: [
        { startSeconds: 5, title: "B" },
        { startSeconds: 5, title: "A" },
        { startSeconds: -1, title: "" },
        { startSeconds: 9, title: "x".repeat(121) },
      ],
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join(".")) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["chapters.1.startSeconds", "chapters.2.startSeconds", "chapters.2.title", "chapters.3.title"]));
  });

  it("finds chapters that start at or past the video's end", () => {
    expect(chaptersPastEnd([{ startSeconds: 0, title: "a" }, { startSeconds: 10, title: "b" }], 10)).toEqual({
      "chapters.1.startSeconds": ["The chapter starts at or after the video's end (00:00:10.000)."],
    });
  });

  it("writes a WebVTT chapters track: each chapter until the next, the last until the end", () => {
    const vtt = chaptersWebVtt([{ startSeconds: 0, title: "Intro" }, { startSeconds: 4.5, title: "Q&A <live>" }], 8);
    expect(vtt).toBe("WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.500\nIntro\n\n2\n00:00:04.500 --> 00:00:08.000\nQ&amp;A &lt;live>\n");
    expect(parseWebVtt(vtt).errors).toEqual([]);
    expect(chaptersWebVtt([], 8)).toBe("WEBVTT\n");
  });
});
