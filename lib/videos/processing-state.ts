import "server-only";
import { db, type Transaction } from "@/db";
import { selectActiveReplacement, updateReplacement } from "@/db/queries/video-replacements";
import { selectVideo, selectVideoForUpdate, updateVideoProcessing } from "@/db/queries/videos";
import type { NewVideo, TranscodedVersion, Video } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { queueTranscriptionAfterPublish } from "@/lib/captions/machine-captions";
import { enqueueProcessing } from "@/lib/queue";
import { type Actor, authorize, loadVideo } from "./access";
import { toVideoDto, type VideoDto } from "./dto";
import { idSchema, type ProcessingStatusInput } from "./schemas";
import { canTransition, isWatchable } from "./status";

export type ProcessingStage = "queued" | "downloading" | "probing" | "transcoding" | "uploading" | "retrying";

/** Statuses a processing job may start from (anything else: the job has nothing to do, but see `isReprocessing`). */
const PROCESSABLE = new Set<Video["status"]>(["uploaded", "processing"]);

/**
 * A watchable video with a run queued or under way (a stage says so): a ready video processed again, or a playable
 * one whose ladder is still being encoded (or retried). It stays watchable on its published renditions meanwhile.
 */
export const isReprocessing = (video: Pick<Video, "status" | "processingStage">) => isWatchable(video.status) && video.processingStage !== null;

/** One publishing write of a run, recorded in the video's metadata (`publishing`): what the master listed, and when. */
export type PublishStep = { status: "playable" | "ready"; revision: number; renditions: string[]; at: string };

/** The run's steps so far plus `step` (earlier revisions' steps are dropped). */
function withPublishStep(metadata: Record<string, unknown>, step: Omit<PublishStep, "at">): PublishStep[] {
  const earlier = Array.isArray(metadata.publishing) ? (metadata.publishing as PublishStep[]).filter((past) => past?.revision === step.revision) : [];
  return [...earlier, { ...step, at: new Date().toISOString() }];
}

/** Metadata fields editors own: processing results never overwrite them. */
const EDITOR_FIELDS = ["tags", "difficulty", "language"];

/**
 * Makes `jobId` the video's processing job, unless the video is gone, is not
 * waiting for processing, or another job that is still alive owns it. Each
 * claim gets a revision of its own to write its outputs under.
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
    if (!video || !(PROCESSABLE.has(video.status) || isReprocessing(video))) return undefined;
    const ownedByLiveJob =
      video.processingJobId !== null &&
      video.processingJobId !== jobId &&
      video.processingHeartbeatAt !== null &&
      video.processingHeartbeatAt > staleBefore;
    if (ownedByLiveJob) return undefined;
    const now = new Date();
    const running = video.status === "processing" || isReprocessing(video);
    // A watchable video (ready, or playable on its first renditions) stays so; its run writes a revision beside them.
    const watchable = isWatchable(video.status);
    return updateVideoProcessing({
      videoId,
      tx,
      set: {
        status: watchable ? video.status : "processing",
        processingStartedAt: running && video.processingStartedAt ? video.processingStartedAt : now,
        processingCompletedAt: watchable ? video.processingCompletedAt : null,
        processingProgressPercent: 0,
        processingStage: "downloading",
        processingAttempt: attempt,
        processingJobId: jobId,
        processingHeartbeatAt: now,
        processingRevision: Math.max(video.mediaRevision, video.processingRevision) + 1,
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
  return row !== undefined && (row.status === "processing" || isReprocessing(row));
}

export type ProcessingResult = {
  durationSeconds: number;
  cdnUrl: string;
  thumbnailUrl: string;
  transcodedVersions: TranscodedVersion[];
  /** Merged into the video's metadata (the worker's: probe, storyboard); the fields editors own are left alone. */
  metadata: Record<string, unknown>;
  /** The revision the outputs were written under: playback switches to it. External processors host their own. */
  revision?: number;
};

/**
 * Publishes the outputs: processing → ready, or a reprocessed ready video's
 * switch to its new revision, in one UPDATE. Undefined when the job no longer
 * owns the video, or its revision is not the one last claimed (a superseded attempt).
 */
export async function completeProcessing({ videoId, jobId, result }: { videoId: string; jobId: string; result: ProcessingResult }) {
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video || video.processingJobId !== jobId || !canTransition({ from: video.status, to: "ready" })) return undefined;
    if (result.revision !== undefined && result.revision !== video.processingRevision) return undefined;
    const results = Object.fromEntries(Object.entries(result.metadata).filter(([field]) => !EDITOR_FIELDS.includes(field)));
    const revision = result.revision ?? video.mediaRevision;
    // A replacement's renditions: the video takes its source in the same write (the old source goes with the
    // superseded revision). Its processing was queued only once its upload completed, so this run processed it.
    const replacement = await selectActiveReplacement({ videoId, tx });
    const newSource = replacement?.status === "uploaded" ? replacement : undefined;
    // Outputs already published are replaced: they stay in storage as long as the URLs handed out for them last.
    const replaces = (revision !== video.mediaRevision && video.transcodedVersions.length > 0) || newSource !== undefined;
    if (newSource) await updateReplacement({ replacementId: newSource.id, from: "uploaded", set: { status: "published", finishedAt: new Date() }, tx });
    const published = await updateVideoProcessing({
      videoId,
      jobId,
      tx,
      set: {
        status: "ready",
        durationSeconds: result.durationSeconds,
        cdnUrl: result.cdnUrl,
        thumbnailUrl: result.thumbnailUrl,
        transcodedVersions: result.transcodedVersions,
        mediaRevision: revision,
        supersededPurgeAfter: replaces ? new Date(Date.now() + env.MEDIA_URL_EXPIRY_SECONDS * 1000) : video.supersededPurgeAfter,
        metadata: {
          ...video.metadata,
          ...results,
          publishing: withPublishStep(video.metadata, { status: "ready", revision, renditions: result.transcodedVersions.map((version) => version.name) }),
        },
        processingCompletedAt: new Date(),
        processingError: null,
        processingProgressPercent: 100,
        processingStage: null,
        processingJobId: null,
        processingHeartbeatAt: null,
        ...(newSource
          ? {
              storageKey: newSource.storageKey,
              fileSizeBytes: newSource.fileSizeBytes,
              mimeType: newSource.mimeType,
              originalFilename: newSource.originalFilename,
              uploadId: newSource.uploadId,
              partSize: newSource.partSize,
              uploadPartsTotal: newSource.uploadPartsTotal,
              uploadPartsCompleted: newSource.uploadPartsTotal,
            }
          : {}),
      },
    });
    // Machine captions are their own job, queued with the publish: the video is ready whatever becomes of them.
    if (published) await queueTranscriptionAfterPublish({ video: published, tx });
    return published;
  });
}

/**
 * Progressive publishing, a video's first processing: its first rendition(s) are in storage under the run's revision
 * with a master listing them, so the video becomes `playable` on them (processing → playable, or playable → playable
 * as more join). The run keeps the video (job, stage, progress, heartbeat) until `completeProcessing` makes it ready.
 * Undefined, and nothing changes, when the job no longer owns the video, its revision is not the last claimed, or
 * the video already plays another revision (a ready video reprocessed, a retry of a playable one): those publish
 * their whole revision at the end.
 */
export async function publishPlayable({ videoId, jobId, result }: { videoId: string; jobId: string; result: ProcessingResult & { revision: number } }) {
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video || video.processingJobId !== jobId || result.revision !== video.processingRevision) return undefined;
    const sameRevision = video.status === "playable" && video.mediaRevision === result.revision;
    if (!(video.status === "processing" || sameRevision) || !canTransition({ from: video.status, to: "playable" })) return undefined;
    const results = Object.fromEntries(Object.entries(result.metadata).filter(([field]) => !EDITOR_FIELDS.includes(field)));
    return updateVideoProcessing({
      videoId,
      jobId,
      tx,
      set: {
        status: "playable",
        durationSeconds: result.durationSeconds,
        cdnUrl: result.cdnUrl,
        thumbnailUrl: result.thumbnailUrl,
        transcodedVersions: result.transcodedVersions,
        mediaRevision: result.revision,
        metadata: {
          ...video.metadata,
          ...results,
          publishing: withPublishStep(video.metadata, {
            status: "playable",
            revision: result.revision,
            renditions: result.transcodedVersions.map((version) => version.name),
          }),
        },
        processingError: null,
      },
    });
  });
}

/**
 * The source a run processes: the replacement whose upload completed, if the video has one (its processing is
 * what was queued), else the video's own.
 */
export async function processingSourceKey(video: Video): Promise<string> {
  const replacement = await selectActiveReplacement({ videoId: video.id });
  return replacement?.status === "uploaded" ? replacement.storageKey : video.storageKey;
}

/**
 * Records a failed attempt. A final one makes the video `failed` with the reason, except a watchable one: a
 * reprocessed ready video stays ready, and a playable one (its first renditions published, the rest of its ladder
 * failed for good) stays playable on what was published — a course team would rather have its lecture watchable in
 * fewer qualities than not at all — with the reason kept for its staff, who may retry (reprocess). Otherwise the
 * video says a retry is coming (a playable one plays on meanwhile).
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
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video || video.processingJobId !== jobId) return undefined;
    const keepsPublished = isWatchable(video.status);
    const set: Partial<NewVideo> = final
      ? {
          ...(keepsPublished ? {} : { status: "failed" as const, processingCompletedAt: new Date() }),
          processingError: message,
          processingStage: null,
          processingJobId: null,
          processingHeartbeatAt: null,
        }
      : { processingError: message, processingStage: "retrying", processingHeartbeatAt: new Date() };
    if (set.status && !canTransition({ from: video.status, to: set.status })) return undefined;
    if (final) {
      // A replacement that cannot be processed: the video keeps the source and renditions it had.
      const replacement = await selectActiveReplacement({ videoId, tx });
      if (replacement?.status === "uploaded") {
        await updateReplacement({ replacementId: replacement.id, from: "uploaded", set: { status: "failed", error: message, finishedAt: new Date() }, tx });
      }
    }
    return updateVideoProcessing({ videoId, jobId, tx, set });
  });
}

/**
 * Processes the video again (after a failure, or to refresh a ready one) with
 * a job queued in the same transaction. A failed video goes back to
 * `processing`; a ready one stays ready and playable until the new renditions
 * are published. One run at a time: a queued or running one is a 409.
 */
export async function reprocessVideo({ actor, videoId }: { actor: Actor; videoId: string }): Promise<VideoDto> {
  const { role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "reprocess" });
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video) throw AppError.notFound("Video not found.");
    if (video.status === "processing" || isReprocessing(video)) {
      throw new AppError("conflict", "The video is already being processed.", { details: { status: video.status, stage: video.processingStage } });
    }
    if (video.status === "uploaded") {
      throw new AppError("conflict", "The video is already queued for processing.", { details: { status: video.status } });
    }
    const replacement = await selectActiveReplacement({ videoId, tx });
    if (replacement) {
      throw new AppError("conflict", "A replacement of this video is being uploaded; finish or abort it first.", {
        details: { status: video.status, replacement: replacement.status },
      });
    }
    return toVideoDto(await queueProcessingRun({ video, tx, refusal: `A ${video.status} video cannot be processed; upload it first.` }));
  });
}

/**
 * Queues a new processing run of `video` (locked by the caller) in `tx`: a ready video stays ready and playable on
 * its published renditions meanwhile, any other goes to `processing` if its status allows (else 409 `refusal`).
 */
export async function queueProcessingRun({ video, tx, refusal }: { video: Video; tx: Transaction; refusal: string }): Promise<Video> {
  const keepsPublished = isWatchable(video.status);
  if (!keepsPublished && !canTransition({ from: video.status, to: "processing" })) {
    throw new AppError("conflict", refusal, { details: { status: video.status } });
  }
  const updated = await updateVideoProcessing({
    videoId: video.id,
    tx,
    set: {
      status: keepsPublished ? video.status : "processing",
      processingStartedAt: new Date(),
      processingCompletedAt: keepsPublished ? video.processingCompletedAt : null,
      processingError: null,
      processingProgressPercent: 0,
      processingStage: "queued",
      processingAttempt: 0,
      processingJobId: null,
      processingHeartbeatAt: null,
    },
  });
  if (!updated) throw AppError.notFound("Video not found.");
  await enqueueProcessing({ tx, videoId: video.id });
  return updated;
}

/**
 * What a run that did not publish finds: the video deleted (or never there), so all its objects go, or the
 * revision it plays, which that run's leftovers must not touch.
 */
export async function publishedRevision({ videoId }: { videoId: string }): Promise<{ deleted: true } | { deleted: false; mediaRevision: number }> {
  const video = await selectVideo({ videoId });
  return !video || video.deletedAt ? { deleted: true } : { deleted: false, mediaRevision: video.mediaRevision };
}

/** The job an external processor's reports belong to when they name none. */
export const EXTERNAL_JOB_ID = "00000000-0000-4000-8000-000000000001";

/**
 * A report from an external processor (`POST /videos/:id/processing-status`),
 * applied with exactly the worker's rules: `processing` claims the video for
 * the report's job (or records its progress and heartbeat once it owns it),
 * `ready` publishes the outputs, `failed` records a failure; only the job that
 * owns the video may do the last two, the version never changes, and uploads
 * are never completed here. Anything else is a 409.
 */
export async function applyProcessingReport({ videoId, input }: { videoId: string; input: ProcessingStatusInput }): Promise<VideoDto> {
  if (!idSchema.safeParse(videoId).success) throw AppError.notFound("Video not found.");
  const jobId = input.jobId ?? EXTERNAL_JOB_ID;
  const applied = await apply({ videoId, jobId, input });
  const video = await selectVideo({ videoId });
  if (!video || video.deletedAt) throw AppError.notFound("Video not found.");
  if (!applied) throw refusal(video, jobId, input.status);
  return toVideoDto(video);
}

async function apply({ videoId, jobId, input }: { videoId: string; jobId: string; input: ProcessingStatusInput }): Promise<boolean> {
  switch (input.status) {
    case "processing": {
      const progress = { videoId, jobId, percent: input.progressPercent ?? 0, stage: input.stage ?? "transcoding" } as const;
      if (await reportProcessingProgress(progress)) return true;
      const claimed = await claimProcessing({ videoId, jobId, attempt: 1, staleBefore: new Date(Date.now() - env.PROCESSING_STALL_SECONDS * 1000) });
      if (claimed && (input.progressPercent !== undefined || input.stage !== undefined)) await reportProcessingProgress(progress);
      return claimed !== undefined;
    }
    case "ready": {
      const { durationSeconds, cdnUrl, thumbnailUrl, transcodedVersions } = input;
      if (durationSeconds === undefined || !cdnUrl || !thumbnailUrl || !transcodedVersions?.length) return false; // the schema requires them
      const result: ProcessingResult = { durationSeconds, cdnUrl, thumbnailUrl, transcodedVersions, metadata: input.metadata ?? {} };
      return (await completeProcessing({ videoId, jobId, result })) !== undefined;
    }
    case "failed":
      return (await failProcessing({ videoId, jobId, final: input.final ?? true, message: input.error ?? "Processing failed." })) !== undefined;
    default:
      return false;
  }
}

function refusal(video: Video, jobId: string, status: ProcessingStatusInput["status"]): AppError {
  const details = { status: video.status, stage: video.processingStage };
  if (status !== "processing" && status !== "ready" && status !== "failed") {
    return new AppError("conflict", `The processing pipeline cannot make a video ${status}; uploads are completed through the upload API.`, { details });
  }
  if (video.processingJobId !== null && video.processingJobId !== jobId) {
    return new AppError("conflict", "Another processing job is working on this video.", { details });
  }
  if (status === "processing") {
    return new AppError("conflict", `A ${video.status} video is not waiting for processing.`, { details });
  }
  return new AppError("conflict", `This job is not processing the video (it is ${video.status}); claim it with status "processing" first.`, { details });
}
