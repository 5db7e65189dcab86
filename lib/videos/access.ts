import "server-only";
import type { Executor } from "@/db";
import { selectCourseAccess, selectVideoWithRole } from "@/db/queries/videos";
import type { CourseRole, Video } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type CourseAction, isWrite, roleAllows, type VideoAction, visibleStatuses } from "./policy";
import { idSchema } from "./schemas";

export type Actor = { id: string };

/** What the caller may do on a course: their role, and whether the course is archived (read-only). */
export type CourseAccess = { role: CourseRole; archived: boolean };

const videoNotFound = () => AppError.notFound("Video not found.");

/**
 * The video if the user may see it: a malformed id, a deleted video, a course
 * the user has no role on and (for viewers) a video not yet ready are all
 * "not found", so existence is never revealed.
 */
export async function loadVideo({ actor, videoId, tx }: { actor: Actor; videoId: string; tx?: Executor }): Promise<{ video: Video } & CourseAccess> {
  if (!isVideoId(videoId)) throw videoNotFound();
  return visibleVideo(await selectVideoWithRole({ videoId, userId: actor.id, tx }));
}

/** Whether `videoId` can name a video at all (anything else is "not found" without asking the database). */
export const isVideoId = (videoId: string) => idSchema.safeParse(videoId).success;

/**
 * loadVideo's rule on a row read some other way (the live video with the caller's role on its course, role null
 * or no row when they have none): the row with its role, or "not found".
 */
export function visibleVideo<V extends Pick<Video, "status">>(row: { video: V; role: CourseRole | null; archived: boolean } | undefined): { video: V } & CourseAccess {
  if (!row?.role) throw videoNotFound();
  const visible = visibleStatuses(row.role);
  if (visible && !visible.includes(row.video.status)) throw videoNotFound();
  return { video: row.video, role: row.role, archived: row.archived };
}

export async function loadCourseAccess({ actor, courseId }: { actor: Actor; courseId: string }): Promise<CourseAccess> {
  const access = idSchema.safeParse(courseId).success ? await selectCourseAccess({ courseId, userId: actor.id }) : undefined;
  if (!access) throw AppError.notFound("Course not found.");
  return access;
}

export async function loadCourseRole({ actor, courseId }: { actor: Actor; courseId: string }): Promise<CourseRole> {
  return (await loadCourseAccess({ actor, courseId })).role;
}

const forbidden: Record<VideoAction | CourseAction, string> = {
  read: "You cannot view this course's videos.",
  upload: "Only the course's owners and instructors can upload or manage uploads.",
  replace: "Only the course's owners and instructors can replace videos.",
  editMetadata: "Only owners, instructors and editors can edit video details.",
  delete: "Only the course's owners and instructors can delete videos.",
  reprocess: "Only the course's owners and instructors can reprocess videos.",
  editCourse: "Only the course's owners and instructors can change its settings.",
  archiveCourse: "Only the course's owners can archive it.",
  restoreCourse: "Only the course's owners can restore it.",
  manageLessons: "Only the course's owners and instructors can manage its lessons.",
  viewMembers: "Only the course's owners and instructors can see its members.",
  viewAccessibility: "Only the course's owners, instructors and editors can see its accessibility report.",
  editCaptions: "Only owners, instructors and editors can change captions.",
  generateCaptions: "Only the course's owners and instructors can generate machine captions.",
  watch: "You cannot watch this course's videos.",
  viewAnalytics: "Only the course's owners and instructors can see a video's analytics.",
  viewProgress: "Only the course's owners and instructors can see the course's progress.",
};

/** The refusal of every write to an archived course, its lessons and its videos. */
export const courseArchivedError = () =>
  new AppError("course_archived", "This course is archived and read-only. An owner can restore it to make changes.", { status: 409 });

/**
 * Refuses what the role may not do (403), then any write to an archived course (409 `course_archived`); which
 * actions are writes is the policy's `isWrite`.
 */
export function authorize({ role, action, archived }: CourseAccess & { action: VideoAction | CourseAction }): void {
  if (!roleAllows({ role, action })) throw AppError.forbidden(forbidden[action]);
  if (archived && isWrite(action)) throw courseArchivedError();
}

