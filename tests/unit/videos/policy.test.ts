import { describe, expect, it } from "vitest";
import { type CourseRole, courseRoles } from "@/db/schema";
import {
  type CourseAction,
  can,
  canAdminister,
  canCreateCourse,
  canManageMember,
  canNow,
  canOnCourse,
  invitableRoles,
  isWrite,
  type VideoAction,
  visibleStatuses,
} from "@/lib/videos/policy";

const ACTIONS: VideoAction[] = ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions", "generateCaptions", "watch", "viewAnalytics"];

/** Who may do what with a course's videos. */
const ALLOWED: Record<CourseRole, VideoAction[]> = {
  owner: ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions", "generateCaptions", "watch", "viewAnalytics"],
  instructor: ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions", "generateCaptions", "watch", "viewAnalytics"],
  editor: ["read", "editMetadata", "editCaptions", "watch"],
  viewer: ["read", "watch"],
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
  it("shows viewers only videos they can watch (playable or ready) and everyone else all", () => {
    expect(visibleStatuses("viewer")).toEqual(["playable", "ready"]);
    for (const role of courseRoles.filter((role) => role !== "viewer")) expect(visibleStatuses(role)).toBeUndefined();
  });
});

const COURSE_ACTIONS: CourseAction[] = ["editCourse", "archiveCourse", "restoreCourse", "manageLessons", "viewMembers", "viewAccessibility", "viewProgress"];
const COURSE_ALLOWED: Record<CourseRole, CourseAction[]> = {
  owner: ["editCourse", "archiveCourse", "restoreCourse", "manageLessons", "viewMembers", "viewAccessibility", "viewProgress"],
  instructor: ["editCourse", "manageLessons", "viewMembers", "viewAccessibility", "viewProgress"],
  editor: ["viewAccessibility"],
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

describe("archived courses", () => {
  it("counts every change to a course, its lessons or its videos as a write, and reading, members and restoring not", () => {
    expect(ACTIONS.filter(isWrite)).toEqual(["upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions", "generateCaptions"]);
    expect(COURSE_ACTIONS.filter(isWrite)).toEqual(["editCourse", "archiveCourse", "manageLessons"]);
  });

  it("canNow: the role's rights, minus writes while archived", () => {
    expect(canNow({ role: "owner", action: "manageLessons", archived: false })).toBe(true);
    expect(canNow({ role: "owner", action: "manageLessons", archived: true })).toBe(false);
    expect(canNow({ role: "owner", action: "restoreCourse", archived: true })).toBe(true);
    expect(canNow({ role: "editor", action: "editMetadata", archived: false })).toBe(true);
    expect(canNow({ role: "editor", action: "editMetadata", archived: true })).toBe(false);
    expect(canNow({ role: "viewer", action: "read", archived: true })).toBe(true);
    expect(canNow({ role: "editor", action: "manageLessons", archived: false })).toBe(false);
    expect(canNow({ role: "editor", action: "viewAccessibility", archived: true })).toBe(true);
    expect(canNow({ role: "viewer", action: "viewAccessibility", archived: false })).toBe(false);
    expect(canNow({ role: "viewer", action: "watch", archived: true })).toBe(true);
    expect(canNow({ role: "viewer", action: "viewAnalytics", archived: false })).toBe(false);
    expect(canNow({ role: "instructor", action: "viewProgress", archived: true })).toBe(true);
  });
});

describe("canCreateCourse", () => {
  it("lets anyone create courses by default, only the admins' addresses (any case) with COURSE_CREATORS=admins", () => {
    expect(canCreateCourse({ email: "a@example.com", creators: "anyone", adminEmails: [] })).toBe(true);
    expect(canCreateCourse({ email: "A@Example.com", creators: "admins", adminEmails: ["a@example.com"] })).toBe(true);
    expect(canCreateCourse({ email: "b@example.com", creators: "admins", adminEmails: ["a@example.com"] })).toBe(false);
  });
});

describe("canAdminister", () => {
  it("lets only the ADMIN_EMAILS addresses (any case) use the admin API, whoever may create courses", () => {
    expect(canAdminister({ email: " A@Example.com", adminEmails: ["a@example.com"] })).toBe(true);
    expect(canAdminister({ email: "b@example.com", adminEmails: ["a@example.com"] })).toBe(false);
    expect(canAdminister({ email: "a@example.com", adminEmails: [] })).toBe(false);
  });
});
