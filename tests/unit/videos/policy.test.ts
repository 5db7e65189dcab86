import { describe, expect, it } from "vitest";
import { type CourseRole, courseRoles } from "@/db/schema";
import { type CourseAction, can, canManageMember, canOnCourse, invitableRoles, type VideoAction, visibleStatuses } from "@/lib/videos/policy";

const ACTIONS: VideoAction[] = ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions"];

/** Who may do what with a course's videos. */
const ALLOWED: Record<CourseRole, VideoAction[]> = {
  owner: ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions"],
  instructor: ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions"],
  editor: ["read", "editMetadata", "editCaptions"],
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

const COURSE_ACTIONS: CourseAction[] = ["editCourse", "archiveCourse", "manageLessons", "viewMembers"];
const COURSE_ALLOWED: Record<CourseRole, CourseAction[]> = {
  owner: ["editCourse", "archiveCourse", "manageLessons", "viewMembers"],
  instructor: ["editCourse", "manageLessons", "viewMembers"],
  editor: [],
  viewer: [],
};

describe("canOnCourse", () => {
  for (const role of courseRoles) {
    for (const action of COURSE_ACTIONS) {
      const allowed = COURSE_ALLOWED[role].includes(action);
      it(`${allowed ? "lets" : "does not let"} ${role} ${action}`, () => {
        expect(canOnCourse({ role, action })).toBe(allowed);
      });
    }
  }
});

describe("canManageMember", () => {
  it("lets owners manage every role, including other owners", () => {
    for (const targetRole of courseRoles) for (const newRole of courseRoles) expect(canManageMember({ role: "owner", targetRole, newRole })).toBe(true);
  });

  it("lets instructors invite, change and remove only editors and viewers", () => {
    expect(canManageMember({ role: "instructor", targetRole: "viewer", newRole: "editor" })).toBe(true);
    expect(canManageMember({ role: "instructor", targetRole: "editor" })).toBe(true);
    expect(canManageMember({ role: "instructor", targetRole: "viewer", newRole: "instructor" })).toBe(false);
    expect(canManageMember({ role: "instructor", targetRole: "instructor" })).toBe(false);
    expect(canManageMember({ role: "instructor", targetRole: "owner" })).toBe(false);
    expect(invitableRoles("instructor")).toEqual(["editor", "viewer"]);
  });

  it("lets editors and viewers manage nobody", () => {
    for (const role of ["editor", "viewer"] as const) {
      expect(invitableRoles(role)).toEqual([]);
      for (const targetRole of courseRoles) expect(canManageMember({ role, targetRole })).toBe(false);
    }
  });
});
