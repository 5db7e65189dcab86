import "server-only";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Storage } from "@/lib/storage";
import { claimProcessing, type ProcessingStage, processingSourceKey, reportProcessingProgress } from "@/lib/videos/processing-state";
import type { Binaries } from "./ffmpeg";
import type { MediaLimits } from "./probe";
import { publishFirstRendition, publishRevision, removeUnpublished, revisionUploader } from "./publish";
import { transcode } from "./transcode";
import { log } from "@/lib/logger";

/** How long the remux may read the source's presigned URL (SigV4 allows 7 days; the remux takes minutes at most). */
const SOURCE_URL_SECONDS = 6 * 3600;

export type ProcessingContext = {
  binaries: Binaries;
  storage: Storage;
  tempDir: string;
  /** ffmpeg is killed after this long without progress, and a job without heartbeat for this long is presumed dead. */
  stallMs: number;
  /** x264 preset; slower presets give smaller files for more CPU. */
  preset?: string;
  /** x264 preset of the smallest rung when it is encoded first (sources that cannot be served as they are). */
  firstPreset?: string;
  /** Larger, faster or longer videos are refused before transcoding (default: DEFAULT_MEDIA_LIMITS). */
  limits?: MediaLimits;
};

/**
 * Processes one video for one job: claim → source to a work dir → transcode (files only) → publish under a
 * revision of its own (`r{n}/`), beside the published one; publishing switches playback to it at once, and the
 * superseded objects are removed later. A run that does not publish removes what it wrote.
 *
 * A video's first processing publishes progressively: the first rendition (the source remuxed, or the smallest
 * rung) as soon as it is written (`playable`), the full ladder at the end (`ready`), both in the same revision. A
 * watchable video's run (a reprocess, a replacement, a retry after its first rendition was published) keeps the
 * published revision playing and publishes its own whole, at the end. Returns false when there was nothing to do.
 */
export async function processVideo({
  context,
  videoId,
  jobId,
  attempt,
  signal,
}: {
  context: ProcessingContext;
  videoId: string;
  jobId: string;
  attempt: number;
  signal?: AbortSignal;
}): Promise<boolean> {
  const video = await claimProcessing({ videoId, jobId, attempt, staleBefore: new Date(Date.now() - context.stallMs) });
  if (!video) return false;
  const revision = video.processingRevision;

  const workDir = await mkdtemp(path.join(context.tempDir, `lectern-${videoId}-`));
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (signal?.aborted) abort.abort();
  const progress = progressReporter({ videoId, jobId, heartbeatMs: Math.max(500, context.stallMs / 4), onLost: () => abort.abort() });
  let completed = false;
  let download: Promise<void> = Promise.resolve();
  try {
    const { storage, binaries } = context;
    const source = path.join(workDir, "source");
    progress.set("downloading", 0);
    const sourceKey = await processingSourceKey(video);
    const object = await storage.getObjectStream({ key: sourceKey });
    download = pipeline(object.body, createWriteStream(source), { signal: abort.signal });
    // Awaited where the local copy is needed; a failure before then must not go unhandled.
    download.catch(() => {});

    let published: Set<string> | undefined;
    const progressive = video.status === "processing";
    // A first processing reads a source served as it is straight from storage and publishes it while remuxing it.
    const uploader = progressive ? revisionUploader({ storage, video, revision }) : undefined;
    const growing = uploader ? { url: await storage.presignGetObject({ key: sourceKey, expiresIn: SOURCE_URL_SECONDS }), store: uploader } : undefined;
    const transcoded = await transcode({
      binaries,
      source,
      sourceReady: download,
      growing,
      workDir,
      stallMs: context.stallMs,
      preset: context.preset,
      firstPreset: context.firstPreset,
      limits: context.limits,
      signal: abort.signal,
      onProgress: (stage, percent) => progress.set(stage, percent),
      onFirstRendition: progressive
        ? async (first) => {
            published = await publishFirstRendition({ storage, video, jobId, revision, first, signal: abort.signal });
            if (published) log().info({ kind: first.kind, renditions: first.variants.map((variant) => variant.rendition.name) }, "video playable");
          }
        : undefined,
    });
    completed = await publishRevision({
      storage,
      video,
      jobId,
      revision,
      transcoded,
      signal: abort.signal,
      alreadyUploaded: published && uploader ? new Set([...published, ...uploader.uploaded]) : published,
      onProgress: (percent) => progress.set("uploading", percent),
      // Progress writes finish before the publishing write.
      beforeComplete: () => progress.stop(),
    });
    return completed;
  } finally {
    signal?.removeEventListener("abort", onOuterAbort);
    // A download still running (the run failed before it needed the local copy) is stopped before its file goes.
    if (!completed) abort.abort();
    await download.catch(() => {});
    await progress.stop();
    await rm(workDir, { recursive: true, force: true });
    // A revision made playable stays (removeUnpublished leaves the published one alone): what plays is never taken away.
    if (!completed) await removeUnpublished({ storage: context.storage, video, revision });
  }
}

/**
 * Writes stage and percent at most once a second, and a heartbeat at least
 * every `heartbeatMs` even when ffmpeg is quiet. When a write finds the job no
 * longer owns the video (deleted, or taken over), `onLost` stops the work.
 */
function progressReporter({ videoId, jobId, heartbeatMs, onLost }: { videoId: string; jobId: string; heartbeatMs: number; onLost: () => void }) {
  let stage: ProcessingStage = "downloading";
  let percent = 0;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  let stopped = false;
  const write = () => {
    lastWrite = Date.now();
    writing = writing
      .then(async () => {
        if (!(await reportProcessingProgress({ videoId, jobId, percent, stage }))) onLost();
      })
      .catch((error: unknown) => log().error({ err: error, videoId }, "progress not recorded"));
  };
  const timer = setInterval(() => {
    if (!stopped && Date.now() - lastWrite >= heartbeatMs) write();
  }, Math.min(1000, heartbeatMs));
  return {
    set(nextStage: ProcessingStage, nextPercent: number) {
      const changed = nextStage !== stage;
      stage = nextStage;
      percent = nextPercent;
      if (!stopped && (changed || Date.now() - lastWrite >= 1000)) write();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await writing;
    },
  };
}
