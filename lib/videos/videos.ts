import "server-only";
import { db } from "@/db";
import { lockNextVideoPosition } from "@/db/queries/lessons";
import { markVideoPurged, selectLesson, selectVideo, selectVideoForUpdate, selectVideoPage, updateVideo } from "@/db/queries/videos";
import { selectActiveReplacement, selectLatestReplacement, updateReplacement } from "@/db/queries/video-replacements";
import type { CourseRole, NewVideo, VideoStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { storage, videoPrefix } from "@/lib/storage";
import { type Actor, authorize, loadCourseRole, loadVideo } from "./access";
import { decodeCursor, encodeCursor } from "./cursor";
import { toVideoDto, type VideoDto } from "./dto";
import { can, visibleStatuses } from "./policy";
import { idSchema, type UpdateVideoInput } from "./schemas";
import { log } from "@/lib/logger";

/** One video; its staff also see its latest replacement (being uploaded or processed, failed or aborted). */
export async function getVideo({ actor, videoId }: { actor: Actor; videoId: string }): Promise<VideoDto> {
  const { video, role } = await loadVideo({ actor, videoId });
  const hideTranscription = !can({ role, action: "editCaptions" });
  if (!can({ role, action: "replace" })) return toVideoDto(video, { hideTranscription });
  return toVideoDto(video, { replacement: (await selectLatestReplacement({ videoId })) ?? null, hideTranscription });
}

type ListQuery = { lessonId?: string; status?: VideoStatus; limit: number; cursor?: string };

/** A course's videos the user may see, newest first, a page at a time. */
export async function listCourseVideos({ actor, courseId, query }: { actor: Actor; courseId: string; query: ListQuery }) {
  const role = await loadCourseRole({ actor, courseId });
  return listPage({ role, courseId, query });
}

export async function listLessonVideos({ actor, lessonId, query }: { actor: Actor; lessonId: string; query: Omit<ListQuery, "lessonId"> }) {
  const lesson = idSchema.safeParse(lessonId).success ? await selectLesson({ lessonId }) : undefined;
  if (!lesson) throw AppError.notFound("Lesson not found.");
  const role = await loadCourseRole({ actor, courseId: lesson.courseId }).catch(() => {
    throw AppError.notFound("Lesson not found.");
  });
  return listPage({ role, courseId: lesson.courseId, query: { ...query, lessonId } });
}

async function listPage({ role, courseId, query }: { role: CourseRole; courseId: string; query: ListQuery }) {
  const visible = visibleStatuses(role);
  const statuses = query.status ? (visible && !visible.includes(query.status) ? [] : [query.status]) : visible;
  const rows =
    statuses && statuses.length === 0
      ? []
      : await selectVideoPage({ courseId, lessonId: query.lessonId, statuses, limit: query.limit + 1, after: decodeCursor(query.cursor) });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const hideTranscription = !can({ role, action: "editCaptions" });
  return { data: page.map((row) => toVideoDto(row.video, { hideTranscription })), nextCursor: rows.length > query.limit && last ? encodeCursor(last.cursor) : null };
}

/** Edits title, description, tags, difficulty, language or lesson; a stale version gets 409 with the current video. */
export async function updateVideoMetadata({ actor, videoId, input }: { actor: Actor; videoId: string; input: UpdateVideoInput }): Promise<VideoDto> {
  const { video, role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "editMetadata" });
  if (input.lessonId) {
    const lesson = await selectLesson({ lessonId: input.lessonId });
    if (lesson?.courseId !== video.courseId) {
      throw AppError.validation("The lesson is not part of this course.", { fieldErrors: { lessonId: ["The lesson is not part of this course."] } });
    }
  }
  // The row lock makes the read-modify-write of the metadata JSON atomic (the worker adds `probe` to it).
  const updated = await db.transaction(async (tx) => {
    // Moving into a lesson puts the video last there; the lesson's lock (taken before the video's, as everywhere) makes that safe.
    const movingInto = input.lessonId && input.lessonId !== video.lessonId ? input.lessonId : undefined;
    const position = movingInto ? await lockNextVideoPosition({ lessonId: movingInto, tx }) : undefined;
    const current = await selectVideoForUpdate({ videoId, tx });
    if (!current || current.version !== input.version) return undefined;
    const metadata: Record<string, unknown> = { ...current.metadata };
    for (const field of ["tags", "difficulty", "language"] as const) {
      const value = input[field];
      if (value === null) delete metadata[field];
      else if (value !== undefined) metadata[field] = value;
    }
    const set: Partial<NewVideo> = { metadata };
    if (input.title !== undefined) set.title = input.title;
    if (input.description !== undefined) set.description = input.description;
    if (input.lessonId !== undefined && input.lessonId !== current.lessonId) {
      set.lessonId = input.lessonId;
      set.position = input.lessonId === null ? 0 : (position ?? (await lockNextVideoPosition({ lessonId: input.lessonId, tx })));
    }
    return updateVideo({ videoId, set, expectedVersion: input.version, tx });
  });
  if (updated) return toVideoDto(updated);
  const current = await selectVideo({ videoId });
  if (!current || current.deletedAt) throw AppError.notFound("Video not found.");
  throw new AppError("conflict", "Someone else changed this video meanwhile. Review their version and apply your change again.", {
    details: { current: toVideoDto(current) },
  });
}

/** Soft-deletes the video, then removes its objects from storage (a failure there is left to the sweeper). */
export async function deleteVideo({ actor, videoId }: { actor: Actor; videoId: string }): Promise<void> {
  const { role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "delete" });
  const deleted = await db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video) throw AppError.notFound("Video not found.");
    await updateVideo({ videoId, tx, set: { deletedAt: new Date(), ...(video.status === "uploading" ? { status: "aborted" as const } : {}) } });
    const replacement = await selectActiveReplacement({ videoId, tx });
    if (replacement) await updateReplacement({ replacementId: replacement.id, from: replacement.status, set: { status: "aborted", finishedAt: new Date() }, tx });
    return { video, replacement };
  });
  try {
    if (deleted.video.status === "uploading" && deleted.video.uploadId) {
      await storage.abortMultipartUpload({ key: deleted.video.storageKey, uploadId: deleted.video.uploadId });
    }
    if (deleted.replacement?.status === "uploading") {
      await storage.abortMultipartUpload({ key: deleted.replacement.storageKey, uploadId: deleted.replacement.uploadId });
    }
    await storage.deletePrefix({ prefix: videoPrefix({ courseId: deleted.video.courseId, videoId }) });
    await markVideoPurged({ videoId });
  } catch (error) {
    log().error({ err: error, videoId }, "removing the storage objects of the deleted video failed; the sweeper will retry");
  }
}
