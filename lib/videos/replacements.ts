import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/db";
import { clearUploadParts, insertReplacement, selectActiveReplacement } from "@/db/queries/video-replacements";
import { selectVideoForUpdate } from "@/db/queries/videos";
import type { Video, VideoReplacement } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { replacementSourceKey, storage } from "@/lib/storage";
import { type Actor, authorize, loadVideo } from "./access";
import { planParts } from "./part-plan";
import { isReprocessing } from "./processing-state";
import type { ReplaceVideoInput } from "./schemas";
import { isWatchable } from "./status";
import { assertAcceptableSource, initialPartNumbers, signUrls, uploadTarget } from "./uploads";

/**
 * Replacing a video's source (`POST /videos/:id/replace`). The design, in short (details at `video_replacements` in
 * db/schema.ts): the new file is uploaded as a separate record with a key of its own, through the same parts,
 * complete and abort endpoints as any upload of that video id; its complete queues processing, the video stays
 * `ready` on its published revision meanwhile, and the publishing transaction switches playback and the video's
 * source together. An aborted or failed replacement leaves the video as it was.
 */
export async function startReplacement({ actor, videoId, input }: { actor: Actor; videoId: string; input: ReplaceVideoInput }) {
  const { video, role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "replace" });
  assertAcceptableSource(input);
  assertReplaceable(video, await selectActiveReplacement({ videoId }));

  const { partSize, partCount } = planParts({ fileSize: input.fileSize, preferredPartSize: env.UPLOAD_PART_SIZE });
  const replacementId = randomUUID();
  const storageKey = replacementSourceKey({ courseId: video.courseId, videoId, replacementId, contentType: input.contentType });
  const { uploadId } = await storage.createMultipartUpload({ key: storageKey, contentType: input.contentType });
  let replacement: VideoReplacement;
  let current: Video;
  try {
    ({ replacement, current } = await db.transaction(async (tx) => {
      const locked = await selectVideoForUpdate({ videoId, tx });
      if (!locked) throw AppError.notFound("Video not found.");
      assertReplaceable(locked, await selectActiveReplacement({ videoId, tx }));
      await clearUploadParts({ videoId, tx });
      const row = await insertReplacement({
        tx,
        values: {
          id: replacementId,
          videoId,
          requestedBy: actor.id,
          originalFilename: input.filename,
          storageKey,
          fileSizeBytes: input.fileSize,
          mimeType: input.contentType,
          uploadId,
          partSize,
          uploadPartsTotal: partCount,
        },
      });
      return { replacement: row, current: locked };
    }));
  } catch (error) {
    // Refused or failed: a multipart upload no record points at must not linger in storage.
    await storage.abortMultipartUpload({ key: storageKey, uploadId }).catch(() => {});
    throw error;
  }
  const { parts, expiresAt } = await signUrls(uploadTarget(current, replacement), initialPartNumbers(partCount));
  return { videoId, uploadId, storageKey, partSize, partCount, parts, expiresAt };
}

/** A video takes a new source once it has one (watchable, or failed processing), with nothing else under way. */
function assertReplaceable(video: Video, active: VideoReplacement | undefined) {
  if (active) {
    const doing = active.status === "uploading" ? "being uploaded (abort it first)" : "being processed";
    throw new AppError("conflict", `A replacement of this video is already ${doing}.`, { details: { replacementId: active.id, replacement: active.status } });
  }
  // Playable with its run going: the ladder of the current source is still being encoded. Replacing now would race
  // that run; the ladder takes minutes, so the video is replaceable soon (and at once if that run fails for good).
  if (video.status === "playable" && video.processingStage !== null) {
    throw new AppError("conflict", "The video is still improving its quality (its other renditions are being encoded); replace it once it is ready.", {
      details: { status: video.status, progressPercent: video.processingProgressPercent },
    });
  }
  if (!isWatchable(video.status) && video.status !== "failed") {
    throw new AppError("conflict", `A ${video.status} video cannot be replaced yet; wait until it is processed.`, { details: { status: video.status } });
  }
  if (isReprocessing(video)) {
    throw new AppError("conflict", "The video is being processed; replace it when that is over.", { details: { status: video.status, stage: video.processingStage } });
  }
}
