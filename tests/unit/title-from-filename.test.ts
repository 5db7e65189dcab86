import { describe, expect, it } from "vitest";
import { titleFromFilename } from "@/app/components/upload/format";

describe("titleFromFilename", () => {
  it("turns a file name into a title: no extension, separators as spaces, a capital first letter", () => {
    expect(titleFromFilename("week-3_intro-to-sets.mp4")).toBe("Week 3 intro to sets");
    expect(titleFromFilename("Lecture 01 -- Limits.MOV")).toBe("Lecture 01 Limits");
    expect(titleFromFilename("already Titled.webm")).toBe("Already Titled");
    expect(titleFromFilename("no-extension")).toBe("No extension");
  });

  it("never gives an empty or over-long title", () => {
    expect(titleFromFilename("___.mp4")).toBe("Untitled video");
    expect(titleFromFilename(`${"a".repeat(300)}.mp4`)).toHaveLength(200);
  });
});
