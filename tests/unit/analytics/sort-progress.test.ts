import { describe, expect, it } from "vitest";
import { type Learner, nextOrder, sortLearners } from "@/app/components/analytics/sort-progress";

const VIDEO = "7e4b1d2c-3a5f-4b6e-9d8c-1f2e3d4c5b6a";
const learner = (name: string, share: number, completed: boolean, lastWatchedAt: string | null): Learner => ({
  userId: name,
  name,
  email: `${name.toLowerCase()}@example.com`,
  videos: [{ videoId: VIDEO, watchedShare: share, completed }],
  completedCount: completed ? 1 : 0,
  averageShareWatched: share,
  lastWatchedAt,
});
const ada = learner("Ada", 0.4, false, "2026-12-01T10:00:00.000Z");
const bo = learner("bo", 0.95, true, "2026-11-30T10:00:00.000Z");
const cy = learner("Cy", 0, false, null);
const names = (learners: Learner[]) => learners.map((entry) => entry.name);

describe("sorting the progress table", () => {
  it("by learner (case-insensitive), by a video's share with completers first, by last watched", () => {
    expect(names(sortLearners([cy, bo, ada], { column: { kind: "learner" }, direction: "ascending" }))).toEqual(["Ada", "bo", "Cy"]);
    expect(names(sortLearners([ada, cy, bo], { column: { kind: "video", videoId: VIDEO }, direction: "descending" }))).toEqual(["bo", "Ada", "Cy"]);
    expect(names(sortLearners([ada, cy, bo], { column: { kind: "lastWatched" }, direction: "ascending" }))).toEqual(["Cy", "bo", "Ada"]);
    expect(names(sortLearners([bo, cy, ada], { column: { kind: "completed" }, direction: "descending" }))).toEqual(["bo", "Ada", "Cy"]);
  });

  it("a first click sorts names A–Z and figures highest first; a second click reverses", () => {
    const byName = { column: { kind: "learner" as const }, direction: "ascending" as const };
    expect(nextOrder(byName, { kind: "learner" })).toEqual({ column: { kind: "learner" }, direction: "descending" });
    expect(nextOrder(byName, { kind: "average" })).toEqual({ column: { kind: "average" }, direction: "descending" });
    expect(nextOrder({ column: { kind: "video", videoId: VIDEO }, direction: "descending" }, { kind: "video", videoId: VIDEO }).direction).toBe("ascending");
  });
});
