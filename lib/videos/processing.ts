import "server-only";
import { db } from "@/db";
import { selectVideoForUpdate, updateVideoProcessing } from "@/db/queries/videos";
import type { NewVideo, TranscodedVersion, Video } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { enqueueProcessing } from "@/lib/queue";
import { type Actor, authorize, loadVideo } from "./access";
import { toVideoDto, type VideoDto } from "./dto";
import { canTransition } from "./status";

export type ProcessingStage = "queued" | "downloading" | "probing" | "transcoding" | "uploading" | "retrying";

/** Statuses a processing job may start from (anything else: the job has nothing to do). */
const PROCESSABLE = new Set<Video["status"]>(["uploaded", "processing"]);

/**
 * Makes `jobId` the video's processing job, unless the video is gone, is not
 * waiting for processing, or another job that is still alive owns it.
 */
export async function claimProcessing({
  videoId,
  jobId,
  attempt,
  staleBefore,
}: {
  videoId: string;
  jobId: string;
  attempt: number;
  staleBefore: Date;
}): Promise<Video | undefined> {
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video || !PROCESSABLE.has(video.status)) return undefined;
    const ownedByLiveJob =
      video.processingJobId !== null &&
      video.processingJobId !== jobId &&
      video.processingHeartbeatAt !== null &&
      video.processingHeartbeatAt > staleBefore;
    if (ownedByLiveJob) return undefined;
    const now = new Date();
    return updateVideoProcessing({
      videoId,
      tx,
      set: {
        status: "processing",
        processingStartedAt: video.status === "processing" && video.processingStartedAt ? video.processingStartedAt : now,
        processingCompletedAt: null,
        processingProgressPercent: 0,
        processingStage: "downloading",
        processingAttempt: attempt,
        processingJobId: jobId,
        processingHeartbeatAt: now,
      },
    });
  });
}

/** Records progress and a heartbeat; false when the job no longer owns the video (deleted, or taken over). */
export async function reportProcessingProgress({
  videoId,
  jobId,
  percent,
  stage,
}: {
  videoId: string;
  jobId: string;
  percent: number;
  stage: ProcessingStage;
}): Promise<boolean> {
  const row = await updateVideoProcessing({
    videoId,
    jobId,
    set: { processingProgressPercent: Math.max(0, Math.min(100, Math.floor(percent))), processingStage: stage, processingHeartbeatAt: new Date() },
  });
  return row !== undefined && row.status === "processing";
}

export type ProcessingResult = {
  durationSeconds: number;
  probe: Record<string, unknown>;
  storyboard: Record<string, unknown>;
  cdnUrl: string;
  thumbnailUrl: string;
  transcodedVersions: TranscodedVersion[];
};

/** processing → ready with the outputs; undefined when the job no longer owns the video. */
export async function completeProcessing({ videoId, jobId, result }: { videoId: string; jobId: string; result: ProcessingResult }) {
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video || video.processingJobId !== jobId || !canTransition({ from: video.status, to: "ready" })) return undefined;
    return updateVideoProcessing({
      videoId,
      jobId,
      tx,
      set: {
        status: "ready",
        durationSeconds: result.durationSeconds,
        cdnUrl: result.cdnUrl,
        thumbnailUrl: result.thumbnailUrl,
        transcodedVersions: result.transcodedVersions,
        metadata: { ...video.metadata, probe: result.probe, storyboard: result.storyboard },
        processingCompletedAt: new Date(),
        processingError: null,
        processingProgressPercent: 100,
        processingStage: null,
        processingJobId: null,
        processingHeartbeatAt: null,
      },
    });
  });
}

/**
 * Records a failed attempt. A final one makes the video `failed` with the
 * reason; otherwise it stays `processing` and says a retry is coming.
 */
export async function failProcessing({
  videoId,
  jobId,
  message,
  final,
}: {
  videoId: string;
  jobId: string;
  message: string;
  final: boolean;
}): Promise<Video | undefined> {
  const set: Partial<NewVideo> = final
    ? {
        status: "failed",
        processingError: message,
        processingCompletedAt: new Date(),
        processingStage: null,
        processingJobId: null,
        processingHeartbeatAt: null,
      }
    : { processingError: message, processingStage: "retrying", processingHeartbeatAt: new Date() };
  return updateVideoProcessing({ videoId, jobId, set });
}

/**
 * Processes the video again (after a failure, or to refresh a ready one):
 * back to `processing`, and a job queued in the same transaction.
 */
export async function reprocessVideo({ actor, videoId }: { actor: Actor; videoId: string }): Promise<VideoDto> {
  const { role } = await loadVideo({ actor, videoId });
  authorize({ role, action: "retry" });
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video) throw AppError.notFound("Video not found.");
    if (video.status === "processing") {
      throw new AppError("conflict", "The video is already being processed.", { details: { status: video.status } });
    }
    if (!canTransition({ from: video.status, to: "processing" })) {
      throw new AppError("conflict", `A ${video.status} video cannot be processed; upload it first.`, { details: { status: video.status } });
    }
    const updated = await updateVideoProcessing({
      videoId,
      tx,
      set: {
        status: "processing",
        processingStartedAt: new Date(),
        processingCompletedAt: null,
        processingError: null,
        processingProgressPercent: 0,
        processingStage: "queued",
        processingAttempt: 0,
        processingJobId: null,
        processingHeartbeatAt: null,
      },
    });
    if (!updated) throw AppError.notFound("Video not found.");
    await enqueueProcessing({ tx, videoId });
    return toVideoDto(updated);
  });
}
