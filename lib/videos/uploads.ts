import "server-only";
import { randomUUID } from "node:crypto";
import { db, type Executor } from "@/db";
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
import type { Video } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatBytes } from "@/lib/format-bytes";
import { enqueueProcessing } from "@/lib/queue";
import { storage, storageErrorCode, videoSourceKey } from "@/lib/storage";
import { type Actor, authorize, loadCourseAccess, loadVideo } from "./access";
import { toVideoDto, type VideoDto } from "./dto";
import { checkParts, describeProblems, hasProblems } from "./part-check";
import { partLength, planParts } from "./part-plan";
import { ACCEPTED_VIDEO_TYPES, type UploadInitInput } from "./schemas";

const RATE_WINDOW_MS = 60_000;

function uploadPlan(video: Video) {
  const partSize = video.partSize ?? 0;
  const partCount = video.uploadPartsTotal ?? 0;
  return { partSize, partCount, size: (partNumber: number) => partLength({ partNumber, partSize, partCount, fileSize: video.fileSizeBytes }) };
}

async function signUrls(video: Video, partNumbers: number[]) {
  const plan = uploadPlan(video);
  const expiresIn = env.UPLOAD_URL_EXPIRY_SECONDS;
  const parts = await storage.presignUploadParts({
    key: video.storageKey,
    uploadId: video.uploadId ?? "",
    parts: partNumbers.map((partNumber) => ({ partNumber, contentLength: plan.size(partNumber) })),
    expiresIn,
  });
  return { parts, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() };
}

/** Starts an upload: validates it, opens a multipart upload in storage, records the video, signs the first parts. */
export async function initUpload({ actor, input }: { actor: Actor; input: UploadInitInput }) {
  const access = await loadCourseAccess({ actor, courseId: input.courseId });
  authorize({ ...access, action: "upload" });
  if (!(ACCEPTED_VIDEO_TYPES as readonly string[]).includes(input.contentType)) {
    throw new AppError("unsupported_media_type", `Videos must be MP4, WebM, QuickTime or AVI (got ${input.contentType}).`, {
      details: { accepted: ACCEPTED_VIDEO_TYPES },
    });
  }
  if (input.fileSize > env.MAX_UPLOAD_BYTES) {
    throw new AppError("file_too_large", `Videos can be at most ${formatBytes(env.MAX_UPLOAD_BYTES)}.`, {
      details: { maxBytes: env.MAX_UPLOAD_BYTES, fileSize: input.fileSize },
    });
  }
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
  const first = Array.from({ length: Math.min(partCount, env.UPLOAD_INITIAL_PART_URLS) }, (_, index) => index + 1);
  const { parts, expiresAt } = await signUrls(video, first);
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

/** The video, if the user may upload to its course (its status is the caller's concern). */
async function loadForUpload({ actor, videoId }: { actor: Actor; videoId: string }) {
  const { video, role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "upload" });
  return video;
}

function assertUploading(video: Video) {
  if (video.status !== "uploading") {
    throw new AppError("conflict", `The upload is over: the video is ${video.status}.`, { details: { status: video.status } });
  }
}

function assertPartNumbers(video: Video, partNumbers: number[], field: string) {
  const { partCount } = uploadPlan(video);
  const outOfRange = partNumbers.filter((partNumber) => partNumber > partCount);
  if (outOfRange.length) {
    throw AppError.validation(`Part numbers must be between 1 and ${partCount}.`, { fieldErrors: { [field]: [`out of range: ${outOfRange.join(", ")}`] } });
  }
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
  const video = await loadForUpload({ actor, videoId });
  assertUploading(video);
  assertPartNumbers(video, partNumbers, "partNumbers");
  assertPartNumbers(video, completed.map((part) => part.partNumber), "completed");
  await touchUploadActivity({ videoId });
  if (completed.length) {
    const { size } = uploadPlan(video);
    await db.transaction(async (tx) => {
      await upsertUploadParts({ videoId, parts: completed.map((part) => ({ ...part, size: size(part.partNumber) })), tx });
      await refreshUploadProgress({ videoId, tx });
    });
  }
  return signUrls(video, [...new Set(partNumbers)].sort((a, b) => a - b));
}

/** The parts storage really holds (the truth for resuming), recorded in our table too. */
export async function listUploadedParts({ actor, videoId }: { actor: Actor; videoId: string }) {
  const video = await loadForUpload({ actor, videoId });
  const { partSize, partCount } = uploadPlan(video);
  if (video.status !== "uploading") {
    return { partSize, partCount, parts: await selectUploadParts({ videoId }) };
  }
  await touchUploadActivity({ videoId });
  const stored = await storage.listParts({ key: video.storageKey, uploadId: video.uploadId ?? "" });
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
 * other; the second finds the video uploaded and returns it unchanged.
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
  await loadForUpload({ actor, videoId });
  // Strictly ascending also rules out a part listed twice.
  if (parts.some((part, index) => index > 0 && part.partNumber <= (parts[index - 1]?.partNumber ?? 0))) {
    throw AppError.validation("List the parts once each, in ascending part number order.", { fieldErrors: { parts: ["not ascending or repeated"] } });
  }
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video) throw AppError.notFound("Video not found.");
    if (video.status !== "uploading") {
      if (video.uploadedAt) return toVideoDto(video);
      assertUploading(video);
    }
    const stored = await storage.listParts({ key: video.storageKey, uploadId: video.uploadId ?? "" }).catch(async (error: unknown) => {
      if (storageErrorCode(error) === "NoSuchUpload" && (await sourceIsComplete(video))) return undefined;
      throw error;
    });
    if (stored) {
      const problems = checkParts({ plan: { ...uploadPlan(video), fileSize: video.fileSizeBytes }, requested: parts, stored });
      if (hasProblems(problems)) {
        throw new AppError("parts_mismatch", describeProblems(problems), { status: 400, details: problems });
      }
      // Storage's own ETags for the parts the client listed (checked equal above, but only in normalised form).
      const byNumber = new Map(stored.map((part) => [part.partNumber, part.etag]));
      const storedParts = parts.map(({ partNumber }) => ({ partNumber, etag: byNumber.get(partNumber) ?? "" }));
      await storage.completeMultipartUpload({ key: video.storageKey, uploadId: video.uploadId ?? "", parts: storedParts });
      await upsertUploadParts({ videoId, parts: stored, tx });
    }
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

/** A complete that reached storage but not our database: the object is already whole. */
async function sourceIsComplete(video: Video): Promise<boolean> {
  const head = await storage.headObject({ key: video.storageKey });
  return head?.size === video.fileSizeBytes;
}

/** Abandons an upload: storage drops the parts, the video is marked aborted and deleted. */
export async function abortUpload({ actor, videoId }: { actor: Actor; videoId: string }): Promise<VideoDto> {
  await loadForUpload({ actor, videoId });
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video) throw AppError.notFound("Video not found.");
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
