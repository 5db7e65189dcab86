import "server-only";
import { db } from "@/db";
import {
  clearSupersededPurge,
  lockStaleUpload,
  markVideoPurged,
  selectStaleUploads,
  selectSupersededMedia,
  selectUnpurgedVideos,
  selectUnqueuedUploads,
  selectVideoForUpdate,
  updateVideo,
  updateVideoProcessing,
} from "@/db/queries/videos";
import {
  clearUploadParts,
  selectActiveReplacement,
  selectReplacement,
  selectStaleReplacements,
  updateReplacement,
} from "@/db/queries/video-replacements";
import { enqueueProcessing } from "@/lib/queue";
import { revisionPath, type Storage, videoPrefix } from "@/lib/storage";
import { log } from "@/lib/logger";
import { purgeSessionsBefore } from "@/db/queries/watch-sessions";

const BATCH = 100;

export type SweepReport = {
  abortedUploads: number;
  abortedReplacements: number;
  purgedVideos: number;
  purgedRevisions: number;
  queuedUploads: number;
  purgedWatchSessions: number;
  errors: number;
};

/** Watch sessions purged per sweep at most (in deletes of WATCH_PURGE_BATCH): a backlog drains over a few sweeps. */
const WATCH_PURGE_BATCH = 5000;
const WATCH_PURGE_ROUNDS = 10;

/**
 * Housekeeping, safe to run anywhere and concurrently: uploads without part
 * activity for longer than the TTL are aborted in storage and marked `aborted`; deleted
 * videos' objects are removed (retrying whatever a delete left behind), and so are the revisions a
 * reprocess replaced once the URLs handed out for them have expired (with leftovers of failed attempts);
 * videos uploaded before processing existed get their job; viewing sessions started more than `watchDataDays` ago
 * are deleted.
 */
export async function sweep({
  storage,
  uploadTtlHours,
  watchDataDays = 365,
  now = new Date(),
}: {
  storage: Storage;
  uploadTtlHours: number;
  watchDataDays?: number;
  now?: Date;
}): Promise<SweepReport> {
  const report: SweepReport = { abortedUploads: 0, abortedReplacements: 0, purgedVideos: 0, purgedRevisions: 0, queuedUploads: 0, purgedWatchSessions: 0, errors: 0 };
  const before = new Date(now.getTime() - uploadTtlHours * 3_600_000);
  for (const stale of await selectStaleUploads({ before, limit: BATCH })) {
    try {
      if (await abortStaleUpload({ storage, videoId: stale.id, before, now })) report.abortedUploads++;
    } catch (error) {
      report.errors++;
      log().error({ err: error, videoId: stale.id }, "aborting the stale upload failed");
    }
  }
  for (const stale of await selectStaleReplacements({ before, limit: BATCH })) {
    try {
      if (await abortStaleReplacement({ storage, replacementId: stale.id, videoId: stale.videoId, before, now })) report.abortedReplacements++;
    } catch (error) {
      report.errors++;
      console.error(`[sweeper] aborting the stale replacement ${stale.id} of video ${stale.videoId} failed:`, error);
    }
  }
  for (const video of await selectSupersededMedia({ before: now, limit: BATCH })) {
    try {
      const prefix = videoPrefix({ courseId: video.courseId, videoId: video.id });
      // The published revision stays, and so does the one a run may be writing right now.
      const keep = [video.mediaRevision, video.processingRevision].filter((revision) => revision > 0).map((revision) => `${prefix}${revisionPath({ revision, path: "" })}`);
      // So do the video's source and the one a replacement is bringing.
      const sources = [video.storageKey, (await selectActiveReplacement({ videoId: video.id }))?.storageKey];
      const stale = (await storage.listKeys({ prefix })).filter((key) => !sources.includes(key) && !keep.some((kept) => key.startsWith(kept)));
      if (stale.length) await storage.deleteObjects({ keys: stale });
      if (video.supersededPurgeAfter) await clearSupersededPurge({ videoId: video.id, purgeAfter: video.supersededPurgeAfter });
      report.purgedRevisions++;
    } catch (error) {
      report.errors++;
      log().error({ err: error, videoId: video.id }, "removing the replaced renditions failed");
    }
  }
  for (const video of await selectUnpurgedVideos({ limit: BATCH })) {
    try {
      if (video.status === "aborted" && video.uploadId) await storage.abortMultipartUpload({ key: video.storageKey, uploadId: video.uploadId });
      await storage.deletePrefix({ prefix: videoPrefix({ courseId: video.courseId, videoId: video.id }) });
      await markVideoPurged({ videoId: video.id });
      report.purgedVideos++;
    } catch (error) {
      report.errors++;
      log().error({ err: error, videoId: video.id }, "removing the objects of the deleted video failed");
    }
  }
  for (const { id } of await selectUnqueuedUploads({ limit: BATCH })) {
    try {
      const queued = await db.transaction(async (tx) => {
        const video = await selectVideoForUpdate({ videoId: id, tx });
        if (video?.status !== "uploaded" || video.processingStage !== null) return false;
        await updateVideoProcessing({ videoId: id, tx, set: { processingStage: "queued" } });
        await enqueueProcessing({ tx, videoId: id });
        return true;
      });
      if (queued) report.queuedUploads++;
    } catch (error) {
      report.errors++;
      log().error({ err: error, videoId: id }, "queuing the processing failed");
    }
  }
  try {
    const before = new Date(now.getTime() - watchDataDays * 86_400_000);
    for (let round = 0; round < WATCH_PURGE_ROUNDS; round++) {
      const purged = await purgeSessionsBefore({ before, limit: WATCH_PURGE_BATCH });
      report.purgedWatchSessions += purged;
      if (purged < WATCH_PURGE_BATCH) break;
    }
  } catch (error) {
    report.errors++;
    log().error({ err: error }, "purging old watch sessions failed");
  }
  return report;
}

/**
 * Under the row lock, and only if the upload is still open and still idle: a
 * complete or abort holding the lock wins (the row is skipped), and so does
 * part activity recorded since the candidates were listed. Storage is aborted
 * before the row says so: if storage fails, the transaction rolls back and the
 * upload stays open and completable, for the next sweep to try again.
 */
async function abortStaleUpload({ storage, videoId, before, now }: { storage: Storage; videoId: string; before: Date; now: Date }) {
  return db.transaction(async (tx) => {
    const video = await lockStaleUpload({ videoId, before, tx });
    if (!video) return false;
    if (video.uploadId) {
      const aborted = await storage.abortMultipartUpload({ key: video.storageKey, uploadId: video.uploadId });
      // Storage no longer knows the upload: a complete that reached storage but not our database leaves the whole
      // source there, for the client's retried complete to record. Keep that one; any other is gone already.
      if (!aborted && (await storage.headObject({ key: video.storageKey }))?.size === video.fileSizeBytes) {
        log().warn({ videoId }, "upload complete in storage but not recorded; left for its complete");
        return false;
      }
    }
    await updateVideo({ videoId, tx, set: { status: "aborted", deletedAt: now } });
    return true;
  });
}

/**
 * An abandoned replacement upload, under the video's row lock (a complete or an abort of it takes that lock too):
 * storage drops its parts and the video plays on as it was. A complete that reached storage but not our database
 * is left for its retried complete, as with a video's own upload.
 */
async function abortStaleReplacement({
  storage,
  replacementId,
  videoId,
  before,
  now,
}: {
  storage: Storage;
  replacementId: string;
  videoId: string;
  before: Date;
  now: Date;
}) {
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    const replacement = await selectReplacement({ replacementId, tx });
    if (!replacement || replacement.status !== "uploading" || replacement.uploadActivityAt >= before) return false;
    const aborted = await storage.abortMultipartUpload({ key: replacement.storageKey, uploadId: replacement.uploadId });
    if (!aborted && (await storage.headObject({ key: replacement.storageKey }))?.size === replacement.fileSizeBytes) {
      console.warn(`[sweeper] replacement ${replacementId} is complete in storage but not recorded; left for its complete`);
      return false;
    }
    await updateReplacement({ replacementId, from: "uploading", set: { status: "aborted", finishedAt: now }, tx });
    if (video) await clearUploadParts({ videoId, tx });
    return true;
  });
}
