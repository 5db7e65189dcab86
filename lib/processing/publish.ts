import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { TranscodedVersion, Video } from "@/db/schema";
import { revisionPath, type Storage, videoPrefix, videoRevisionKey } from "@/lib/storage";
import { completeProcessing, publishedRevision } from "@/lib/videos/processing-state";
import { MASTER_PLAYLIST, mediaRoutePath, POSTER, renditionPlaylist, STORYBOARD_VTT } from "@/lib/videos/media-paths";
import type { Transcoded } from "./transcode";
import { log } from "@/lib/logger";

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

/**
 * Uploads a run's outputs under its revision (`r{n}/`), the master playlist last so it never points at renditions
 * not yet stored, then publishes the revision: playback switches to it at once. Progress runs from 90 % to 99 %;
 * `beforeComplete` runs between the last upload and the publishing write. False when the job no longer owns the video.
 */
export async function publishRevision({
  storage,
  video,
  jobId,
  revision,
  transcoded,
  signal,
  onProgress,
  beforeComplete,
}: {
  storage: Storage;
  video: Video;
  jobId: string;
  revision: number;
  transcoded: Transcoded;
  signal: AbortSignal;
  onProgress: (percent: number) => void;
  beforeComplete: () => Promise<void>;
}): Promise<boolean> {
  const { outDir, probe, durationSeconds, storyboard, variants } = transcoded;
  onProgress(90);
  const files = await listFiles(outDir);
  const ordered = [...files.filter((file) => file !== MASTER_PLAYLIST), MASTER_PLAYLIST];
  let uploaded = 0;
  await forEachLimit(ordered.slice(0, -1), 6, async (file) => {
    signal.throwIfAborted();
    await upload(storage, video, revision, outDir, file);
    onProgress(90 + (9 * ++uploaded) / ordered.length);
  });
  signal.throwIfAborted();
  await upload(storage, video, revision, outDir, MASTER_PLAYLIST);

  const transcodedVersions: TranscodedVersion[] = variants.map(({ rendition, average }) => ({
    name: rendition.name,
    width: rendition.width,
    height: rendition.height,
    bitrate: average,
    playlistKey: videoRevisionKey({ courseId: video.courseId, videoId: video.id, revision, path: renditionPlaylist(rendition.name) }),
  }));
  await beforeComplete();
  const done = await completeProcessing({
    videoId: video.id,
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
  return done !== undefined;
}

/**
 * After a run that did not publish: a video deleted meanwhile may have received outputs after its objects were
 * purged (all go); otherwise the run's own revision goes, unless it is the published one after all.
 */
export async function removeUnpublished({ storage, video, revision }: { storage: Storage; video: Video; revision: number }) {
  try {
    const current = await publishedRevision({ videoId: video.id });
    const prefix = videoPrefix({ courseId: video.courseId, videoId: video.id });
    if (current.deleted) await storage.deletePrefix({ prefix });
    else if (revision > 0 && current.mediaRevision !== revision) await storage.deletePrefix({ prefix: `${prefix}${revisionPath({ revision, path: "" })}` });
  } catch (error) {
    log().error({ err: error, videoId: video.id }, "removing the unpublished outputs failed");
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
