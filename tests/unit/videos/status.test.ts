import { describe, expect, it } from "vitest";
import { type VideoStatus, videoStatuses } from "@/db/schema";
import { canTransition } from "@/lib/videos/status";

/** The whole machine: every status and the ones that may follow it. */
const ALLOWED: Record<VideoStatus, VideoStatus[]> = {
  uploading: ["uploaded", "aborted", "failed"],
  uploaded: ["processing", "failed"],
  processing: ["processing", "playable", "ready", "failed"],
  playable: ["playable", "ready", "failed"],
  failed: ["processing"],
  ready: ["ready"],
  aborted: [],
};

describe("canTransition", () => {
  for (const from of videoStatuses) {
    for (const to of videoStatuses) {
      const allowed = ALLOWED[from].includes(to);
      it(`${allowed ? "allows" : "refuses"} ${from} → ${to}`, () => {
        expect(canTransition({ from, to })).toBe(allowed);
      });
    }
  }

  it("lets nothing leave aborted and nothing go back to uploading", () => {
    expect(videoStatuses.filter((to) => canTransition({ from: "aborted", to }))).toEqual([]);
    expect(videoStatuses.filter((from) => canTransition({ from, to: "uploading" }))).toEqual([]);
  });

  it("reaches ready only through processing or playable (a reprocessed ready video stays ready)", () => {
    expect(videoStatuses.filter((from) => canTransition({ from, to: "ready" }))).toEqual(["processing", "playable", "ready"]);
  });
});
