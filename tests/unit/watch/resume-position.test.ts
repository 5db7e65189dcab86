import { describe, expect, it } from "vitest";
import { resumePosition } from "@/app/components/videos/use-resume-point";
import { progressLabel } from "@/app/components/courses/watch-progress";

describe("resumePosition", () => {
  it("resumes where the viewer stopped, but not at the very start or the very end", () => {
    expect(resumePosition({ position: 192.4, durationSeconds: 600 })).toBe(192.4);
    expect(resumePosition({ position: null, durationSeconds: 600 })).toBeUndefined();
    expect(resumePosition(undefined)).toBeUndefined();
    expect(resumePosition({ position: 3, durationSeconds: 600 })).toBeUndefined();
    expect(resumePosition({ position: 597, durationSeconds: 600 })).toBeUndefined();
    expect(resumePosition({ position: 120, durationSeconds: null })).toBe(120);
  });
});

describe("progressLabel", () => {
  it("says how much was watched, in whole percent, or Completed", () => {
    expect(progressLabel({ watchedShare: 0.456, completed: false })).toBe("45 % watched");
    expect(progressLabel({ watchedShare: 0, completed: false })).toBe("0 % watched");
    expect(progressLabel({ watchedShare: 0.93, completed: true })).toBe("Completed");
  });
});
