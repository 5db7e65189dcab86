import "server-only";
import { randomUUID } from "node:crypto";
import { db, type Executor, type Transaction } from "@/db";
import {
  countUploadsSince,
  deleteUploadParts,
  insertVideo,
  lockUploadStarts,
  refreshUploadProgress,
  selectLesson,
  selectUploadParts,
  selectVideoForUpdate,
  touchUploadActivity,
  updateVideo,
  upsertUploadParts,
} from "@/db/queries/videos";
import { lockNextVideoPosition } from "@/db/queries/lessons";
import { clearUploadParts, selectActiveReplacement, touchReplacementActivity, updateReplacement } from "@/db/queries/video-replacements";
import type { Video, VideoReplacement } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatBytes } from "@/lib/format-bytes";
import { enqueueProcessing } from "@/lib/queue";
import { storage, storageErrorCode, videoSourceKey } from "@/lib/storage";
import { type Actor, authorize, loadCourseAccess, loadVideo } from "./access";
import { toVideoDto, type VideoDto } from "./dto";
import { queueProcessingRun } from "./processing-state";
import { checkParts, describeProblems, hasProblems } from "./part-check";
import { partLength, planParts } from "./part-plan";
import { ACCEPTED_VIDEO_TYPES, type UploadInitInput } from "./schemas";

const RATE_WINDOW_MS = 60_000;

/**
 * What the parts, complete and abort endpoints work on: the video's own upload, or, once the video has a source,
 * the replacement being uploaded for it (see `video_replacements` in db/schema.ts).
 */
export type UploadTarget = {
  video: Video;
  replacement?: VideoReplacement;
  key: string;
  uploadId: string;
  partSize: number;
  partCount: number;
  fileSize: number;
  /** Still taking parts. */
  uploading: boolean;
};

export function uploadTarget(video: Video, replacement?: VideoReplacement): UploadTarget {
  if (replacement) {
    return {
      video,
      replacement,
      key: replacement.storageKey,
      uploadId: replacement.uploadId,
      partSize: replacement.partSize,
      partCount: replacement.uploadPartsTotal,
      fileSize: replacement.fileSizeBytes,
      uploading: replacement.status === "uploading",
    };
  }
  return {
    video,
    key: video.storageKey,
    uploadId: video.uploadId ?? "",
    partSize: video.partSize ?? 0,
    partCount: video.uploadPartsTotal ?? 0,
    fileSize: video.fileSizeBytes,
    uploading: video.status === "uploading",
  };
}

function uploadPlan(target: UploadTarget) {
  const { partSize, partCount, fileSize } = target;
  return { partSize, partCount, size: (partNumber: number) => partLength({ partNumber, partSize, partCount, fileSize }) };
}

export async function signUrls(target: UploadTarget, partNumbers: number[]) {
  const plan = uploadPlan(target);
  const expiresIn = env.UPLOAD_URL_EXPIRY_SECONDS;
  const parts = await storage.presignUploadParts({
    key: target.key,
    uploadId: target.uploadId,
    parts: partNumbers.map((partNumber) => ({ partNumber, contentLength: plan.size(partNumber) })),
    expiresIn,
  });
  return { parts, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() };
}

/** The first part URLs an upload-init (or replace) hands out with the session. */
export const initialPartNumbers = (partCount: number) => Array.from({ length: Math.min(partCount, env.UPLOAD_INITIAL_PART_URLS) }, (_, index) => index + 1);

/** A source the API accepts: one of the video types, within the size limit. */
export function assertAcceptableSource({ contentType, fileSize }: { contentType: string; fileSize: number }) {
  if (!(ACCEPTED_VIDEO_TYPES as readonly string[]).includes(contentType)) {
    throw new AppError("unsupported_media_type", `Videos must be MP4, WebM, QuickTime or AVI (got ${contentType}).`, {
      details: { accepted: ACCEPTED_VIDEO_TYPES },
    });
  }
  if (fileSize > env.MAX_UPLOAD_BYTES) {
    throw new AppError("file_too_large", `Videos can be at most ${formatBytes(env.MAX_UPLOAD_BYTES)}.`, {
      details: { maxBytes: env.MAX_UPLOAD_BYTES, fileSize },
    });
  }
}

/** Starts an upload: validates it, opens a multipart upload in storage, records the video, signs the first parts. */
export async function initUpload({ actor, input }: { actor: Actor; input: UploadInitInput }) {
  const access = await loadCourseAccess({ actor, courseId: input.courseId });
  authorize({ ...access, action: "upload" });
  assertAcceptableSource(input);
  if (input.lessonId) {
    const lesson = await selectLesson({ lessonId: input.lessonId });
    if (lesson?.courseId !== input.courseId) {
      throw AppError.validation("The lesson is not part of this course.", { fieldErrors: { lessonId: ["The lesson is not part of this course."] } });
    }
  }
  // A cheap check first, so a refused burst costs no storage calls; the one that counts is below, under the lock.
  await enforceRateLimit({ actor });

  const { partSize, partCount } = planParts({ fileSize: input.fileSize, preferredPartSize: env.UPLOAD_PART_SIZE });
  const videoId = randomUUID();
  const storageKey = videoSourceKey({ courseId: input.courseId, videoId, contentType: input.contentType });
  const { uploadId } = await storage.createMultipartUpload({ key: storageKey, contentType: input.contentType });
  let video: Video;
  try {
    const { title, description, tags, difficulty, language } = input.metadata;
    video = await db.transaction(async (tx) => {
      await lockUploadStarts({ userId: actor.id, tx });
      await enforceRateLimit({ actor, tx });
      // A new video goes last in its lesson; the lesson's row lock keeps two uploads off the same position.
      const position = input.lessonId ? await lockNextVideoPosition({ lessonId: input.lessonId, tx }) : 0;
      return insertVideo({
        tx,
        values: {
          id: videoId,
          courseId: input.courseId,
          lessonId: input.lessonId ?? null,
          position,
          uploadedBy: actor.id,
          title,
          description: description ?? null,
          originalFilename: input.filename,
          storageProvider: storage.config.provider,
          storageBucket: storage.config.bucket,
          storageKey,
          storageRegion: storage.config.region,
          fileSizeBytes: input.fileSize,
          mimeType: input.contentType,
          uploadId,
          partSize,
          uploadPartsTotal: partCount,
          metadata: { tags: tags ?? [], ...(difficulty ? { difficulty } : {}), ...(language ? { language } : {}) },
        },
      });
    });
  } catch (error) {
    // Refused or failed: the multipart upload no video row points at must not linger in storage.
    await storage.abortMultipartUpload({ key: storageKey, uploadId }).catch(() => {});
    throw error;
  }
  const { parts, expiresAt } = await signUrls(uploadTarget(video), initialPartNumbers(partCount));
  return { videoId, uploadId, storageKey, partSize, partCount, parts, expiresAt };
}

/**
 * Limits upload starts per user per minute, counted in the database so every
 * app process shares the limit (exact under `lockUploadStarts`).
 */
async function enforceRateLimit({ actor, tx }: { actor: Actor; tx?: Executor }) {
  const since = new Date(Date.now() - RATE_WINDOW_MS);
  const { count, oldest } = await countUploadsSince({ userId: actor.id, since, tx });
  if (count < env.UPLOAD_INIT_RATE_LIMIT) return;
  const retryAfter = Math.max(1, Math.ceil(((oldest?.getTime() ?? Date.now()) + RATE_WINDOW_MS - Date.now()) / 1000));
  throw new AppError("rate_limited", `Too many uploads started; try again in ${retryAfter} s.`, {
    details: { retryAfterSeconds: retryAfter },
    headers: { "retry-after": String(retryAfter) },
  });
}

/**
 * What the user may upload to: the video's own unfinished upload, or its active replacement. Replacements need the
 * `replace` permission (today the same roles as `upload`).
 */
async function loadUploadTarget({ actor, videoId, tx }: { actor: Actor; videoId: string; tx?: Executor }): Promise<UploadTarget> {
  const { video, role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "upload" });
  if (video.status === "uploading") return uploadTarget(video);
  const replacement = await selectActiveReplacement({ videoId, tx });
  if (replacement) authorize({ role, archived, action: "replace" });
  return uploadTarget(video, replacement);
}

function assertUploading(target: UploadTarget) {
  if (target.uploading) return;
  if (target.replacement) {
    throw new AppError("conflict", "The replacement is uploaded already; it is being processed.", { details: { status: target.video.status, replacement: target.replacement.status } });
  }
  const { video } = target;
  throw new AppError("conflict", `The upload is over: the video is ${video.status}.`, { details: { status: video.status } });
}

function assertPartNumbers(target: UploadTarget, partNumbers: number[], field: string) {
  const { partCount } = target;
  const outOfRange = partNumbers.filter((partNumber) => partNumber > partCount);
  if (outOfRange.length) {
    throw AppError.validation(`Part numbers must be between 1 and ${partCount}.`, { fieldErrors: { [field]: [`out of range: ${outOfRange.join(", ")}`] } });
  }
}

async function touchActivity(target: UploadTarget) {
  if (target.replacement) await touchReplacementActivity({ replacementId: target.replacement.id });
  else await touchUploadActivity({ videoId: target.video.id });
}

/** Signs URLs for the asked parts and records the parts the client reports finished. */
export async function signParts({
  actor,
  videoId,
  partNumbers,
  completed = [],
}: {
  actor: Actor;
  videoId: string;
  partNumbers: number[];
  completed?: { partNumber: number; etag: string }[];
}) {
  const target = await loadUploadTarget({ actor, videoId });
  assertUploading(target);
  assertPartNumbers(target, partNumbers, "partNumbers");
  assertPartNumbers(target, completed.map((part) => part.partNumber), "completed");
  await touchActivity(target);
  if (completed.length) {
    const { size } = uploadPlan(target);
    await db.transaction(async (tx) => {
      await upsertUploadParts({ videoId, parts: completed.map((part) => ({ ...part, size: size(part.partNumber) })), tx });
      await refreshUploadProgress({ videoId, tx });
    });
  }
  return signUrls(target, [...new Set(partNumbers)].sort((a, b) => a - b));
}

/** The parts storage really holds (the truth for resuming), recorded in our table too. */
export async function listUploadedParts({ actor, videoId }: { actor: Actor; videoId: string }) {
  const target = await loadUploadTarget({ actor, videoId });
  const { partSize, partCount } = uploadPlan(target);
  if (!target.uploading) {
    return { partSize, partCount, parts: await selectUploadParts({ videoId }) };
  }
  await touchActivity(target);
  const stored = await storage.listParts({ key: target.key, uploadId: target.uploadId });
  const recorded = await selectUploadParts({ videoId });
  const storedNumbers = new Set(stored.map((part) => part.partNumber));
  await db.transaction(async (tx) => {
    await upsertUploadParts({ videoId, parts: stored, tx });
    await deleteUploadParts({ videoId, partNumbers: recorded.filter((part) => !storedNumbers.has(part.partNumber)).map((part) => part.partNumber), tx });
    await refreshUploadProgress({ videoId, tx });
  });
  return { partSize, partCount, parts: stored.map(({ partNumber, etag, size }) => ({ partNumber, etag, size })) };
}

/**
 * Completes the upload once storage holds every part with the ETags and sizes
 * the plan expects. The row lock makes concurrent completes run one after the
 * other; the second finds the video uploaded and returns it unchanged. A
 * replacement's complete queues the video's processing of the new source; the
 * video keeps playing (and keeps its status) until that publishes.
 */
export async function completeUpload({
  actor,
  videoId,
  parts,
}: {
  actor: Actor;
  videoId: string;
  parts: { partNumber: number; etag: string }[];
}): Promise<VideoDto> {
  await loadUploadTarget({ actor, videoId });
  // Strictly ascending also rules out a part listed twice.
  if (parts.some((part, index) => index > 0 && part.partNumber <= (parts[index - 1]?.partNumber ?? 0))) {
    throw AppError.validation("List the parts once each, in ascending part number order.", { fieldErrors: { parts: ["not ascending or repeated"] } });
  }
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video) throw AppError.notFound("Video not found.");
    const replacement = video.status === "uploading" ? undefined : await selectActiveReplacement({ videoId, tx });
    const target = uploadTarget(video, replacement);
    if (!target.uploading) {
      if (replacement || video.uploadedAt) return toVideoDto(video);
      assertUploading(target);
    }
    const stored = await storage.listParts({ key: target.key, uploadId: target.uploadId }).catch(async (error: unknown) => {
      if (storageErrorCode(error) === "NoSuchUpload" && (await sourceIsComplete(target))) return undefined;
      throw error;
    });
    if (stored) {
      const problems = checkParts({ plan: { ...uploadPlan(target), fileSize: target.fileSize }, requested: parts, stored });
      if (hasProblems(problems)) {
        throw new AppError("parts_mismatch", describeProblems(problems), { status: 400, details: problems });
      }
      // Storage's own ETags for the parts the client listed (checked equal above, but only in normalised form).
      const byNumber = new Map(stored.map((part) => [part.partNumber, part.etag]));
      const storedParts = parts.map(({ partNumber }) => ({ partNumber, etag: byNumber.get(partNumber) ?? "" }));
      await storage.completeMultipartUpload({ key: target.key, uploadId: target.uploadId, parts: storedParts });
      await upsertUploadParts({ videoId, parts: stored, tx });
    }
    if (replacement) return toVideoDto(await queueReplacementProcessing({ video, replacement, tx }));
    const updated = await updateVideo({
      videoId,
      tx,
      set: {
        status: "uploaded",
        uploadedAt: new Date(),
        uploadPartsCompleted: video.uploadPartsTotal ?? 0,
        uploadProgressPercent: 100,
        processingStage: "queued",
      },
    });
    if (!updated) throw AppError.notFound("Video not found.");
    await enqueueProcessing({ tx, videoId });
    return toVideoDto(updated);
  });
}

/**
 * The replacement's source is whole: process it. A ready video stays ready (its published renditions play on, as
 * in a reprocess); a failed one goes back to processing.
 */
async function queueReplacementProcessing({ video, replacement, tx }: { video: Video; replacement: VideoReplacement; tx: Transaction }) {
  await updateReplacement({ replacementId: replacement.id, from: "uploading", set: { status: "uploaded", uploadedAt: new Date() }, tx });
  return queueProcessingRun({ video, tx, refusal: `A ${video.status} video cannot take a new source.` });
}

/** A complete that reached storage but not our database: the object is already whole. */
async function sourceIsComplete(target: UploadTarget): Promise<boolean> {
  const head = await storage.headObject({ key: target.key });
  return head?.size === target.fileSize;
}

/**
 * Abandons an upload: storage drops the parts, the video is marked aborted and deleted. Aborting a replacement
 * drops only the replacement: the video plays on as it was.
 */
export async function abortUpload({ actor, videoId }: { actor: Actor; videoId: string }): Promise<VideoDto> {
  await loadUploadTarget({ actor, videoId });
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video) throw AppError.notFound("Video not found.");
    const replacement = video.status === "uploading" ? undefined : await selectActiveReplacement({ videoId, tx });
    if (replacement) {
      if (replacement.status !== "uploading") {
        throw new AppError("conflict", "The replacement is uploaded already; it is being processed.", { details: { status: video.status, replacement: replacement.status } });
      }
      await storage.abortMultipartUpload({ key: replacement.storageKey, uploadId: replacement.uploadId });
      await updateReplacement({ replacementId: replacement.id, from: "uploading", set: { status: "aborted", finishedAt: new Date() }, tx });
      await clearUploadParts({ videoId, tx });
      return toVideoDto(video);
    }
    if (video.status !== "uploading") {
      throw new AppError("conflict", `Only an unfinished upload can be aborted; the video is ${video.status}.`, {
        details: { status: video.status },
      });
    }
    await storage.abortMultipartUpload({ key: video.storageKey, uploadId: video.uploadId ?? "" });
    const updated = await updateVideo({ videoId, tx, set: { status: "aborted", deletedAt: new Date() } });
    return toVideoDto(updated ?? video);
  });
}
