import "server-only";
import { selectRole, selectVideoWithRole } from "@/db/queries/videos";
import type { CourseRole, Video } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { can, type VideoAction, visibleStatuses } from "./policy";
import { idSchema } from "./schemas";

export type Actor = { id: string };

const videoNotFound = () => AppError.notFound("Video not found.");

/**
 * The video if the user may see it: a malformed id, a deleted video, a course
 * the user has no role on and (for viewers) a video not yet ready are all
 * "not found", so existence is never revealed.
 */
export async function loadVideo({ actor, videoId }: { actor: Actor; videoId: string }): Promise<{ video: Video; role: CourseRole }> {
  if (!idSchema.safeParse(videoId).success) throw videoNotFound();
  const row = await selectVideoWithRole({ videoId, userId: actor.id });
  if (!row) throw videoNotFound();
  const visible = visibleStatuses(row.role);
  if (visible && !visible.includes(row.video.status)) throw videoNotFound();
  return row;
}

export async function loadCourseRole({ actor, courseId }: { actor: Actor; courseId: string }): Promise<CourseRole> {
  const role = idSchema.safeParse(courseId).success ? await selectRole({ courseId, userId: actor.id }) : undefined;
  if (!role) throw AppError.notFound("Course not found.");
  return role;
}

const forbidden: Record<VideoAction, string> = {
  read: "You cannot view this course's videos.",
  upload: "Only the course's owners and instructors can upload or manage uploads.",
  replace: "Only the course's owners and instructors can replace videos.",
  editMetadata: "Only owners, instructors and editors can edit video details.",
  delete: "Only the course's owners and instructors can delete videos.",
  reprocess: "Only the course's owners and instructors can reprocess videos.",
  editCaptions: "Only owners, instructors and editors can change captions.",
};

export function authorize({ role, action }: { role: CourseRole; action: VideoAction }): void {
  if (!can({ role, action })) throw AppError.forbidden(forbidden[action]);
}
