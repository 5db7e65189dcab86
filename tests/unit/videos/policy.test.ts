import { describe, expect, it } from "vitest";
import { type CourseRole, courseRoles } from "@/db/schema";
import { can, type VideoAction, visibleStatuses } from "@/lib/videos/policy";

const ACTIONS: VideoAction[] = ["read", "upload", "editMetadata", "delete", "reprocess"];

/** Who may do what with a course's videos. */
const ALLOWED: Record<CourseRole, VideoAction[]> = {
  owner: ["read", "upload", "editMetadata", "delete", "reprocess"],
  instructor: ["read", "upload", "editMetadata", "delete", "reprocess"],
  editor: ["read", "editMetadata"],
  viewer: ["read"],
};

describe("can", () => {
  for (const role of courseRoles) {
    for (const action of ACTIONS) {
      const allowed = ALLOWED[role].includes(action);
      it(`${allowed ? "lets" : "does not let"} ${role} ${action}`, () => {
        expect(can({ role, action })).toBe(allowed);
      });
    }
  }
});

describe("visibleStatuses", () => {
  it("shows viewers only ready videos and everyone else all", () => {
    expect(visibleStatuses("viewer")).toEqual(["ready"]);
    for (const role of courseRoles.filter((role) => role !== "viewer")) expect(visibleStatuses(role)).toBeUndefined();
  });
});
