import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { forEachLimit } from "@/lib/for-each-limit";
import type { TranscodedVersion, Video } from "@/db/schema";
import { revisionPath, type Storage, videoPrefix, videoRevisionKey } from "@/lib/storage";
import { completeProcessing, publishedRevision, publishPlayable } from "@/lib/videos/processing-state";
import { AUDIO_RENDITION, MASTER_PLAYLIST, mediaRoutePath, POSTER, renditionPlaylist, STORYBOARD_VTT } from "@/lib/videos/media-paths";
import type { MasterVariant } from "./playlists";
import type { FirstRendition, Transcoded } from "./transcode";
import { log } from "@/lib/logger";

const CONTENT_TYPES: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  // CMAF: init segments are MP4 files, media segments ISO BMFF segments (RFC 8216bis, ISO/IEC 23000-19).
  ".mp4": "video/mp4",
  ".m4s": "video/iso.segment",
  ".jpg": "image/jpeg",
  ".vtt": "text/vtt; charset=utf-8",
};
const AUDIO_PREFIX = `hls/${AUDIO_RENDITION}/`;

/** Segments (MPEG-TS, CMAF init and media segments) never change within a revision; playlists do (progressive publishing). */
const IMMUTABLE = new Set([".ts", ".mp4", ".m4s"]);

function contentType(file: string): string {
  const extension = path.extname(file);
  if (file.startsWith(AUDIO_PREFIX) && (extension === ".mp4" || extension === ".m4s")) return "audio/mp4";
  return CONTENT_TYPES[extension] ?? "application/octet-stream";
}

const versionsOf = ({ video, revision, variants }: { video: Pick<Video, "id" | "courseId">; revision: number; variants: MasterVariant[] }): TranscodedVersion[] =>
  variants.map(({ rendition, average }) => ({
    name: rendition.name,
    width: rendition.width,
    height: rendition.height,
    bitrate: average,
    playlistKey: videoRevisionKey({ courseId: video.courseId, videoId: video.id, revision, path: renditionPlaylist(rendition.name) }),
  }));

/**
 * Progressive publishing: uploads the first rendition's files (poster, rendition, audio, then the master listing
 * only them) under the run's revision and makes the video playable on them. Returns the files uploaded (not to be
 * uploaded again), or undefined when the video was not made playable (a watchable video's run publishes its whole
 * revision at the end; a run that lost the video stops at its next progress write).
 */
export async function publishFirstRendition({
  storage,
  video,
  jobId,
  revision,
  first,
  signal,
}: {
  storage: Storage;
  video: Video;
  jobId: string;
  revision: number;
  first: FirstRendition;
  signal: AbortSignal;
}): Promise<Set<string> | undefined> {
  const media = first.files.filter((file) => file !== MASTER_PLAYLIST);
  await forEachLimit(media, 6, async (file) => {
    signal.throwIfAborted();
    await upload(storage, video, revision, first.outDir, file);
  });
  signal.throwIfAborted();
  await upload(storage, video, revision, first.outDir, MASTER_PLAYLIST);
  const published = await publishPlayable({
    videoId: video.id,
    jobId,
    result: {
      durationSeconds: first.durationSeconds,
      metadata: { probe: { ...first.probe } },
      cdnUrl: mediaUrl({ storage, video, revision, file: MASTER_PLAYLIST }),
      thumbnailUrl: mediaUrl({ storage, video, revision, file: POSTER }),
      transcodedVersions: versionsOf({ video, revision, variants: first.variants }),
      revision,
    },
  });
  return published ? new Set(media) : undefined;
}

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
  alreadyUploaded = new Set(),
}: {
  storage: Storage;
  video: Video;
  jobId: string;
  revision: number;
  transcoded: Transcoded;
  signal: AbortSignal;
  onProgress: (percent: number) => void;
  beforeComplete: () => Promise<void>;
  /** Files a progressive publish already stored (the first rendition's): the master is written again all the same. */
  alreadyUploaded?: Set<string>;
}): Promise<boolean> {
  const { outDir, probe, durationSeconds, storyboard, variants } = transcoded;
  onProgress(90);
  const files = await listFiles(outDir);
  const ordered = [...files.filter((file) => file !== MASTER_PLAYLIST && !alreadyUploaded.has(file)), MASTER_PLAYLIST];
  let uploaded = 0;
  await forEachLimit(ordered.slice(0, -1), 6, async (file) => {
    signal.throwIfAborted();
    await upload(storage, video, revision, outDir, file);
    onProgress(90 + (9 * ++uploaded) / ordered.length);
  });
  signal.throwIfAborted();
  await upload(storage, video, revision, outDir, MASTER_PLAYLIST);

  const transcodedVersions = versionsOf({ video, revision, variants });
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

/**
 * Stores the files of a rendition published while it is written (see `publishWhileWriting`) under the run's
 * revision, and remembers them, so the end of the run does not upload them again.
 */
export function revisionUploader({ storage, video, revision }: { storage: Storage; video: Video; revision: number }) {
  const uploaded = new Set<string>();
  return {
    uploaded,
    async storeFile(root: string, file: string) {
      await upload(storage, video, revision, root, file);
      uploaded.add(file);
    },
    async storeText(file: string, text: string) {
      const key = videoRevisionKey({ courseId: video.courseId, videoId: video.id, revision, path: file });
      await storage.putObject({ key, body: text, contentType: contentType(file), cacheControl: "no-cache" });
      uploaded.add(file);
    },
  };
}

async function upload(storage: Storage, video: Video, revision: number, root: string, file: string) {
  await storage.putFile({
    key: videoRevisionKey({ courseId: video.courseId, videoId: video.id, revision, path: file }),
    path: path.join(root, file),
    contentType: contentType(file),
    // Every run writes under its own revision, so segments never change; the master gains renditions as they are published.
    cacheControl: IMMUTABLE.has(path.extname(file)) ? "public, max-age=31536000, immutable" : "no-cache",
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
