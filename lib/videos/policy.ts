import type { CourseRole } from "@/db/schema";
import type { VideoStatus } from "./status";

export type VideoAction = "read" | "upload" | "replace" | "editMetadata" | "delete" | "reprocess" | "editCaptions";

const ALLOWED: Record<CourseRole, readonly VideoAction[]> = {
  owner: ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions"],
  instructor: ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions"],
  editor: ["read", "editMetadata", "editCaptions"],
  viewer: ["read"],
};

/** What a course role may do with the course's videos. */
export function can({ role, action }: { role: CourseRole; action: VideoAction }): boolean {
  return ALLOWED[role].includes(action);
}

/** Viewers only ever see videos that are ready to watch; everyone else sees all. */
export function visibleStatuses(role: CourseRole): readonly VideoStatus[] | undefined {
  return role === "viewer" ? ["ready"] : undefined;
}

// ---------------------------------------------------------------------------
// Courses, lessons and members
// ---------------------------------------------------------------------------

export type CourseAction = "editCourse" | "archiveCourse" | "manageLessons" | "viewMembers";

const COURSE_ALLOWED: Record<CourseRole, readonly CourseAction[]> = {
  owner: ["editCourse", "archiveCourse", "manageLessons", "viewMembers"],
  instructor: ["editCourse", "manageLessons", "viewMembers"],
  editor: [],
  viewer: [],
};

/** What a course role may do with the course itself (every member may read it). */
export function canOnCourse({ role, action }: { role: CourseRole; action: CourseAction }): boolean {
  return COURSE_ALLOWED[role].includes(action);
}

/** Roles an actor may hand out, change or take away: owners manage everyone, instructors editors and viewers. */
const MANAGEABLE_ROLES: Record<CourseRole, readonly CourseRole[]> = {
  owner: ["owner", "instructor", "editor", "viewer"],
  instructor: ["editor", "viewer"],
  editor: [],
  viewer: [],
};

/**
 * Whether `role` may invite someone as `targetRole`, or change a member who has `targetRole`
 * (to `newRole`, when given), or remove them. The last-owner rule is not a role rule: the
 * domain checks it (409).
 */
export function canManageMember({ role, targetRole, newRole }: { role: CourseRole; targetRole: CourseRole; newRole?: CourseRole }): boolean {
  const manageable = MANAGEABLE_ROLES[role];
  return manageable.includes(targetRole) && (newRole === undefined || manageable.includes(newRole));
}

/** The roles an actor may invite people as (the UI's role picker asks this). */
export function invitableRoles(role: CourseRole): readonly CourseRole[] {
  return MANAGEABLE_ROLES[role];
}
