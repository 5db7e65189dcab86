import "server-only";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { selectVideo } from "@/db/queries/videos";
import type { TranscodedVersion, Video } from "@/db/schema";
import { revisionPath, type Storage, videoPrefix, videoRevisionKey } from "@/lib/storage";
import { MASTER_PLAYLIST, mediaRoutePath, POSTER, renditionPlaylist, STORYBOARD_SPRITE, STORYBOARD_VTT } from "@/lib/videos/media-paths";
import { claimProcessing, completeProcessing, type ProcessingStage, reportProcessingProgress } from "@/lib/videos/processing";
import { ladderArgs, posterArgs, storyboardArgs } from "./commands";
import { type Binaries, runFfmpeg } from "./ffmpeg";
import { planLadder } from "./ladder";
import { masterPlaylist, type MasterVariant, measureBandwidth, parseMediaPlaylist, playlistDuration } from "./playlists";
import { type MediaLimits, probeVideo } from "./probe";
import { planStoryboard, storyboardVtt } from "./storyboard";

export type ProcessingContext = {
  binaries: Binaries;
  storage: Storage;
  tempDir: string;
  /** ffmpeg is killed after this long without progress, and a job without heartbeat for this long is presumed dead. */
  stallMs: number;
  /** x264 preset; slower presets give smaller files for more CPU. */
  preset?: string;
  /** Larger, faster or longer videos are refused before transcoding (default: DEFAULT_MEDIA_LIMITS). */
  limits?: MediaLimits;
};

const CONTENT_TYPES: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".jpg": "image/jpeg",
  ".vtt": "text/vtt; charset=utf-8",
};

/**
 * Where a member fetches a derived file of a revision: the CDN when STORAGE_PUBLIC_URL is set, else the app's
 * access-checked media route. The revision is part of the URL, so caches never mix a new revision with an old one.
 */
export function mediaUrl({ storage, video, revision, file }: { storage: Storage; video: Pick<Video, "id" | "courseId">; revision: number; file: string }): string {
  return (
    storage.publicUrl({ key: videoRevisionKey({ courseId: video.courseId, videoId: video.id, revision, path: file }) }) ??
    mediaRoutePath({ videoId: video.id, path: revisionPath({ revision, path: file }) })
  );
}

/** A hung ffmpeg is stopped after 2 minutes plus 10× the video's duration (a generous bound for 2 cores), at most 22 h. */
const timeoutFor = (durationSeconds: number) => Math.min(22 * 3_600_000, 120_000 + durationSeconds * 10_000);

/**
 * Processes one video for one job: source → probe → renditions, poster and
 * storyboard → storage → ready. Each run writes under a revision of its own
 * (`r{n}/`), beside the published one; completing switches playback to it at
 * once, then the superseded objects are removed. Returns false when there was nothing to do.
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
  const progress = progressReporter({ videoId, jobId, heartbeatMs: Math.max(500, context.stallMs / 4), onLost: () => abort.abort() });
  let completed = false;
  try {
    const { storage, binaries } = context;
    const source = path.join(workDir, "source");
    progress.set("downloading", 0);
    const object = await storage.getObjectStream({ key: video.storageKey });
    await pipeline(object.body, createWriteStream(source), { signal: abort.signal });

    progress.set("probing", 3);
    const probe = await probeVideo({ ffprobe: binaries.ffprobe, path: source, limits: context.limits });
    const renditions = planLadder(probe);
    const out = path.join(workDir, "out");
    const framesDir = path.join(workDir, "storyboard-frames");
    for (const rendition of renditions) await mkdir(path.join(out, "hls", rendition.name), { recursive: true });
    await mkdir(framesDir);

    progress.set("transcoding", 5);
    const limits = { timeoutMs: timeoutFor(probe.durationSeconds), stallMs: context.stallMs, signal: abort.signal };
    await runFfmpeg({
      binary: binaries.ffmpeg,
      args: posterArgs({ input: source, output: path.join(out, POSTER), probe }),
      ...limits,
    });
    const plannedStoryboard = planStoryboard(probe);
    await runFfmpeg({
      binary: binaries.ffmpeg,
      args: ladderArgs({
        input: source,
        demuxer: probe.demuxer,
        outputDir: out,
        framesDir,
        renditions,
        hasAudio: probe.audio !== null,
        fps: probe.fps,
        storyboard: plannedStoryboard,
        preset: context.preset,
      }),
      ...limits,
      onProgress: (seconds) => progress.set("transcoding", 5 + 85 * Math.min(1, seconds / probe.durationSeconds)),
    });
    // What really plays: a file cut short behind an intact index (MP4 with faststart) plays less than its header says.
    const durationSeconds = (await playedSeconds(out, renditions[0]?.name)) ?? probe.durationSeconds;
    // The plan's tile count, corrected to the frames ffmpeg's fps filter really produced.
    const frames = (await readdir(framesDir)).length;
    const storyboard = planStoryboard({ ...probe, durationSeconds, frames, interval: plannedStoryboard.interval });
    await runFfmpeg({
      binary: binaries.ffmpeg,
      args: storyboardArgs({ framesDir, count: storyboard.count, columns: storyboard.columns, output: path.join(out, STORYBOARD_SPRITE) }),
      ...limits,
    });
    await writeFile(path.join(out, STORYBOARD_VTT), storyboardVtt({ plan: storyboard, durationSeconds, sprite: STORYBOARD_SPRITE }));

    const variants: MasterVariant[] = [];
    for (const rendition of renditions) {
      const dir = path.join(out, "hls", rendition.name);
      const segments = parseMediaPlaylist(await readFile(path.join(dir, "index.m3u8"), "utf8"));
      const sized = await Promise.all(segments.map(async (segment) => ({ duration: segment.duration, bytes: (await stat(path.join(dir, segment.uri))).size })));
      variants.push({ rendition, playlist: `${rendition.name}/index.m3u8`, ...measureBandwidth(sized), hasAudio: probe.audio !== null, fps: probe.fps });
    }
    await writeFile(path.join(out, MASTER_PLAYLIST), masterPlaylist(variants));

    progress.set("uploading", 90);
    const files = await listFiles(out);
    // The master playlist goes last, so it never points at renditions not yet stored.
    const ordered = [...files.filter((file) => file !== MASTER_PLAYLIST), MASTER_PLAYLIST];
    let uploaded = 0;
    await forEachLimit(ordered.slice(0, -1), 6, async (file) => {
      abort.signal.throwIfAborted();
      await upload(storage, video, revision, out, file);
      progress.set("uploading", 90 + (9 * ++uploaded) / ordered.length);
    });
    abort.signal.throwIfAborted();
    await upload(storage, video, revision, out, MASTER_PLAYLIST);

    const transcodedVersions: TranscodedVersion[] = variants.map(({ rendition, average }) => ({
      name: rendition.name,
      width: rendition.width,
      height: rendition.height,
      bitrate: average,
      playlistKey: videoRevisionKey({ courseId: video.courseId, videoId, revision, path: renditionPlaylist(rendition.name) }),
    }));
    await progress.stop();
    const done = await completeProcessing({
      videoId,
      jobId,
      result: {
        durationSeconds,
        metadata: { probe: { ...probe }, storyboard: { url: mediaUrl({ storage, video, revision, file: STORYBOARD_VTT }), ...storyboard } },
        cdnUrl: mediaUrl({ storage, video, revision, file: MASTER_PLAYLIST }),
        thumbnailUrl: mediaUrl({ storage, video, revision, file: POSTER }),
        transcodedVersions,
        revision,
      },
    });
    completed = done !== undefined;
    return completed;
  } finally {
    signal?.removeEventListener("abort", onOuterAbort);
    await progress.stop();
    await rm(workDir, { recursive: true, force: true });
    if (!completed) await removeUnpublished(context.storage, video, revision);
  }
}

/** The duration of a rendition's media playlist, or undefined when it has no segments. */
async function playedSeconds(out: string, rendition: string | undefined): Promise<number | undefined> {
  if (!rendition) return undefined;
  const seconds = playlistDuration(parseMediaPlaylist(await readFile(path.join(out, "hls", rendition, "index.m3u8"), "utf8")));
  return seconds > 0 ? seconds : undefined;
}

/**
 * After a run that did not publish: a video deleted meanwhile may have received outputs after its objects were
 * purged (all go); otherwise the run's own revision goes, unless it is the published one after all.
 */
async function removeUnpublished(storage: Storage, video: Video, revision: number) {
  try {
    const current = await selectVideo({ videoId: video.id });
    const prefix = videoPrefix({ courseId: video.courseId, videoId: video.id });
    if (!current || current.deletedAt) await storage.deletePrefix({ prefix });
    else if (revision > 0 && current.mediaRevision !== revision) await storage.deletePrefix({ prefix: `${prefix}${revisionPath({ revision, path: "" })}` });
  } catch (error) {
    console.error(`[processing] removing the unpublished outputs of video ${video.id} failed:`, error);
  }
}

async function upload(storage: Storage, video: Video, revision: number, root: string, file: string) {
  const extension = path.extname(file);
  await storage.putFile({
    key: videoRevisionKey({ courseId: video.courseId, videoId: video.id, revision, path: file }),
    path: path.join(root, file),
    contentType: CONTENT_TYPES[extension] ?? "application/octet-stream",
    // Every run writes under its own revision, so segments never change; playlists get a short cache all the same.
    cacheControl: extension === ".ts" ? "public, max-age=86400" : "no-cache",
  });
}

async function listFiles(root: string, dir = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(root, relative) : Promise.resolve([relative]);
    }),
  );
  return nested.flat();
}

async function forEachLimit<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
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
      .catch((error: unknown) => console.error(`[processing] progress of ${videoId} not recorded:`, error));
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
