import type { CourseRole } from "@/db/schema";
import { type VideoStatus, watchableStatuses } from "./status";

export type VideoAction =
  | "read"
  | "upload"
  | "replace"
  | "editMetadata"
  | "delete"
  | "reprocess"
  | "editCaptions"
  | "generateCaptions"
  /** Record one's own watching (progress, resume) and read it back. */
  | "watch"
  /** A video's audience figures: views, watch time, completion, retention. */
  | "viewAnalytics";

const ALLOWED: Record<CourseRole, readonly VideoAction[]> = {
  owner: ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions", "generateCaptions", "watch", "viewAnalytics"],
  instructor: ["read", "upload", "replace", "editMetadata", "delete", "reprocess", "editCaptions", "generateCaptions", "watch", "viewAnalytics"],
  editor: ["read", "editMetadata", "editCaptions", "watch"],
  viewer: ["read", "watch"],
};

/** What a course role may do with the course's videos. */
export function can({ role, action }: { role: CourseRole; action: VideoAction }): boolean {
  return ALLOWED[role].includes(action);
}

/** Viewers only ever see videos they can watch (playable or ready); everyone else sees all. */
export function visibleStatuses(role: CourseRole): readonly VideoStatus[] | undefined {
  return role === "viewer" ? watchableStatuses : undefined;
}

// ---------------------------------------------------------------------------
// Courses, lessons and members
// ---------------------------------------------------------------------------

export type CourseAction =
  | "editCourse"
  | "archiveCourse"
  | "restoreCourse"
  | "manageLessons"
  | "viewMembers"
  | "viewAccessibility"
  /** The learners × videos progress table and its CSV export. */
  | "viewProgress";

const COURSE_ALLOWED: Record<CourseRole, readonly CourseAction[]> = {
  owner: ["editCourse", "archiveCourse", "restoreCourse", "manageLessons", "viewMembers", "viewAccessibility", "viewProgress"],
  instructor: ["editCourse", "manageLessons", "viewMembers", "viewAccessibility", "viewProgress"],
  // Editors caption the videos, so they see which ones still need it.
  editor: ["viewAccessibility"],
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

/** Any member may leave a course themselves (except its last owner: not a role rule, the domain's 409). */
export function canLeaveCourse({ role }: { role: CourseRole }): boolean {
  return courseRolesLeaving.includes(role);
}
const courseRolesLeaving: readonly CourseRole[] = ["owner", "instructor", "editor", "viewer"];

// ---------------------------------------------------------------------------
// Archived courses
// ---------------------------------------------------------------------------

/**
 * The actions that change a course, its lessons or its videos: the one list of writes an archived course refuses.
 * Restoring is the way out of the archive, so it is not among them.
 */
// Watching is a learner's own record, not a change to the course: an archived course's videos still keep progress.
const NOT_WRITES: ReadonlySet<VideoAction | CourseAction> = new Set<VideoAction | CourseAction>([
  "read",
  "viewMembers",
  "viewAccessibility",
  "restoreCourse",
  "watch",
  "viewAnalytics",
  "viewProgress",
]);

/** Every action is a write unless listed as not one, so a new action is refused on an archived course by default. */
export function isWrite(action: VideoAction | CourseAction): boolean {
  return !NOT_WRITES.has(action);
}

/** Whether the action may happen now: the role allows it and, for a write, the course is not archived (the UI asks this). */
export function canNow({ role, action, archived }: { role: CourseRole; action: VideoAction | CourseAction; archived: boolean }): boolean {
  return roleAllows({ role, action }) && !(archived && isWrite(action));
}

/** `can` or `canOnCourse`, whichever the action belongs to (the archive aside). */
export function roleAllows({ role, action }: { role: CourseRole; action: VideoAction | CourseAction }): boolean {
  return isCourseAction(action) ? canOnCourse({ role, action }) : can({ role, action });
}

const COURSE_ACTIONS: ReadonlySet<string> = new Set<CourseAction>([
  "editCourse",
  "archiveCourse",
  "restoreCourse",
  "manageLessons",
  "viewMembers",
  "viewAccessibility",
  "viewProgress",
]);

function isCourseAction(action: VideoAction | CourseAction): action is CourseAction {
  return COURSE_ACTIONS.has(action);
}

/** Who may create courses: anyone signed in, or with `COURSE_CREATORS=admins` only the addresses in `ADMIN_EMAILS`. */
export function canCreateCourse({ email, creators, adminEmails }: { email: string; creators: "anyone" | "admins"; adminEmails: readonly string[] }): boolean {
  return creators === "anyone" || adminEmails.includes(email.trim().toLowerCase());
}

/** Who may use the admin API (creating accounts): the addresses in `ADMIN_EMAILS`, whatever COURSE_CREATORS says. */
export function canAdminister({ email, adminEmails }: { email: string; adminEmails: readonly string[] }): boolean {
  return adminEmails.includes(email.trim().toLowerCase());
}
