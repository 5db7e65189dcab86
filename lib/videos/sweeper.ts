import "server-only";
import { db } from "@/db";
import {
  markVideoPurged,
  selectStaleUploads,
  selectUnpurgedVideos,
  selectUnqueuedUploads,
  selectVideoForUpdate,
  updateVideo,
  updateVideoProcessing,
} from "@/db/queries/videos";
import { enqueueProcessing } from "@/lib/queue";
import { type Storage, videoPrefix } from "@/lib/storage";

const BATCH = 100;

export type SweepReport = { abortedUploads: number; purgedVideos: number; queuedUploads: number; errors: number };

/**
 * Housekeeping, safe to run anywhere and concurrently: uploads left open for
 * longer than the TTL are aborted in storage and marked `aborted`; deleted
 * videos' objects are removed (retrying whatever a delete left behind);
 * videos uploaded before processing existed get their job.
 */
export async function sweep({ storage, uploadTtlHours, now = new Date() }: { storage: Storage; uploadTtlHours: number; now?: Date }): Promise<SweepReport> {
  const report: SweepReport = { abortedUploads: 0, purgedVideos: 0, queuedUploads: 0, errors: 0 };
  const before = new Date(now.getTime() - uploadTtlHours * 3_600_000);
  for (const stale of await selectStaleUploads({ before, limit: BATCH })) {
    try {
      if (stale.uploadId) await storage.abortMultipartUpload({ key: stale.storageKey, uploadId: stale.uploadId });
      const aborted = await db.transaction(async (tx) => {
        const video = await selectVideoForUpdate({ videoId: stale.id, tx });
        // A complete may have won the race meanwhile; then the video is not ours to abort.
        if (video?.status !== "uploading") return false;
        await updateVideo({ videoId: stale.id, tx, set: { status: "aborted", deletedAt: now } });
        return true;
      });
      if (aborted) report.abortedUploads++;
    } catch (error) {
      report.errors++;
      console.error(`[sweeper] aborting the stale upload of video ${stale.id} failed:`, error);
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
      console.error(`[sweeper] removing the objects of deleted video ${video.id} failed:`, error);
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
      console.error(`[sweeper] queuing the processing of video ${id} failed:`, error);
    }
  }
  return report;
}
