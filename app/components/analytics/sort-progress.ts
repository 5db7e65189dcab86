import type { CourseProgress } from "@/lib/watch/schemas";

export type Learner = CourseProgress["learners"][number];
/** A column of the progress table: the learner, their totals, or one video's share watched. */
export type ProgressColumn = { kind: "learner" } | { kind: "completed" } | { kind: "average" } | { kind: "lastWatched" } | { kind: "video"; videoId: string };
export type SortOrder = { column: ProgressColumn; direction: "ascending" | "descending" };

export const sameColumn = (a: ProgressColumn, b: ProgressColumn) => a.kind === b.kind && (a.kind !== "video" || (b.kind === "video" && a.videoId === b.videoId));

const learnerName = (learner: Learner) => (learner.name ?? learner.email).toLocaleLowerCase();

function value(learner: Learner, column: ProgressColumn): number | string {
  switch (column.kind) {
    case "learner":
      return learnerName(learner);
    case "completed":
      return learner.completedCount;
    case "average":
      return learner.averageShareWatched;
    case "lastWatched":
      // Never watched sorts before any date.
      return learner.lastWatchedAt ?? "";
    case "video": {
      const cell = learner.videos.find((entry) => entry.videoId === column.videoId);
      // Completed ranks above any share short of it, so a sort by a video puts its completers together.
      return cell ? cell.watchedShare + (cell.completed ? 1 : 0) : 0;
    }
  }
}

/** The learners in the given order; ties keep name order, so the table never shuffles rows that compare equal. */
export function sortLearners(learners: readonly Learner[], { column, direction }: SortOrder): Learner[] {
  const sign = direction === "ascending" ? 1 : -1;
  return [...learners].sort((a, b) => {
    const left = value(a, column);
    const right = value(b, column);
    const compared = typeof left === "number" && typeof right === "number" ? left - right : String(left).localeCompare(String(right));
    return compared !== 0 ? sign * compared : learnerName(a).localeCompare(learnerName(b));
  });
}

/** Clicking a column: the first click sorts by it (names A–Z, figures highest first), the next reverses. */
export function nextOrder(current: SortOrder, column: ProgressColumn): SortOrder {
  if (sameColumn(current.column, column)) return { column, direction: current.direction === "ascending" ? "descending" : "ascending" };
  return { column, direction: column.kind === "learner" ? "ascending" : "descending" };
}
