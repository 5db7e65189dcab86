import "server-only";
import { selectCaptionTrack, selectCaptionTracks } from "@/db/queries/caption-tracks";
import type { Video } from "@/db/schema";
import { masterWithSubtitles, SUBTITLES_PATH, subtitlePlaylist, subtitleSegment } from "@/lib/captions/hls";
import { firstPresentationTimestamp } from "@/lib/captions/mpegts";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { parseMediaPlaylist, rewritePlaylistUris } from "@/lib/processing/playlists";
import { storage, storageErrorCode, videoRevisionKey } from "@/lib/storage";
import { type Actor, loadVideo } from "./access";
import { MASTER_PLAYLIST, RENDITION_PLAYLIST, STORYBOARD_VTT } from "./media-paths";
import { mediaPathSchema } from "./schemas";

/** `r{n}/…`: a file of revision n (the URLs processing publishes); without it, the published revision. */
const REVISION = /^r([1-9][0-9]{0,8})\/(.+)$/;

export type MediaResponse =
  | { kind: "text"; body: string; contentType: string; maxAgeSeconds: number }
  | { kind: "redirect"; url: string; maxAgeSeconds: number };

const noSuchMedia = () => AppError.notFound("No such media for this video.");

/**
 * A processed video's media for a member of its course. Playlists come from
 * here with their segments as short-lived presigned storage URLs (bytes go
 * straight from storage to the player); images and segments asked of us
 * directly are redirects to such URLs. The published revision is served
 * (and, until their URLs expire, the ones it replaced): a run in progress
 * writes beside it, unseen until it is published.
 */
export async function getMedia({ actor, videoId, path: requested }: { actor: Actor; videoId: string; path: string }): Promise<MediaResponse> {
  const { video } = await loadVideo({ actor, videoId });
  const revisioned = REVISION.exec(requested);
  const revision = revisioned ? Number(revisioned[1]) : video.mediaRevision;
  const path = revisioned?.[2] ?? requested;
  // A revision a reprocess replaced still plays for as long as the URLs handed out for it last.
  const replacedButKept = revision < video.mediaRevision && video.supersededPurgeAfter !== null && video.supersededPurgeAfter > new Date();
  const subtitles = SUBTITLES_PATH.exec(path);
  if ((revision !== video.mediaRevision && !replacedButKept) || !(subtitles || mediaPathSchema.safeParse(path).success) || video.transcodedVersions.length === 0) {
    throw noSuchMedia();
  }
  const key = (file: string) => videoRevisionKey({ courseId: video.courseId, videoId: video.id, revision, path: file });
  const expiresIn = env.MEDIA_URL_EXPIRY_SECONDS;
  // Clients may cache what we answer for a fraction of the URLs' lifetime, so a cached answer never hands out an expired URL.
  const maxAgeSeconds = Math.min(300, Math.floor(expiresIn / 4));
  if (subtitles) return subtitleMedia({ video, revision, language: subtitles[1] ?? "", file: subtitles[2] === "vtt" ? "segment" : "playlist", maxAgeSeconds, key });

  const rendition = RENDITION_PLAYLIST.exec(path)?.[1];
  if (path === MASTER_PLAYLIST || path === STORYBOARD_VTT || rendition) {
    let body = await readText(key(path));
    if (rendition) body = await rewritePlaylistUris(body, (uri) => storage.presignGetObject({ key: key(`hls/${rendition}/${uri}`), expiresIn }));
    if (path === MASTER_PLAYLIST) {
      // The master holds no presigned URL, only the variants and the caption tracks, which change: never cached.
      body = masterWithSubtitles(body, await selectCaptionTracks({ videoId: video.id }));
      return { kind: "text", body, contentType: "application/vnd.apple.mpegurl", maxAgeSeconds: 0 };
    }
    const contentType = path.endsWith(".vtt") ? "text/vtt; charset=utf-8" : "application/vnd.apple.mpegurl";
    return { kind: "text", body, contentType, maxAgeSeconds };
  }
  if (!(await storage.headObject({ key: key(path) }))) throw noSuchMedia();
  return { kind: "redirect", url: await storage.presignGetObject({ key: key(path), expiresIn }), maxAgeSeconds };
}

/**
 * A caption track as HLS: its media playlist (one segment, the whole video) or that segment, the track's WebVTT
 * with its cues mapped onto the renditions' MPEG-TS clock. Both carry the track's version in their URLs.
 */
async function subtitleMedia({
  video,
  revision,
  language,
  file,
  maxAgeSeconds,
  key,
}: {
  video: Video;
  revision: number;
  language: string;
  file: "playlist" | "segment";
  maxAgeSeconds: number;
  key: (file: string) => string;
}): Promise<MediaResponse> {
  const track = await selectCaptionTrack({ videoId: video.id, language });
  if (!track || video.durationSeconds === null) throw noSuchMedia();
  if (file === "playlist") {
    const body = subtitlePlaylist({ language: track.language, version: track.version, durationSeconds: video.durationSeconds });
    return { kind: "text", body, contentType: "application/vnd.apple.mpegurl", maxAgeSeconds };
  }
  const firstPts = await revisionStartPts({ videoId: video.id, revision, key });
  return { kind: "text", body: subtitleSegment({ webvtt: track.content, firstPts }), contentType: "text/vtt; charset=utf-8", maxAgeSeconds };
}

// A revision's segments never change: its start time is read once per process (a few hundred bytes of one segment).
const startPtsCache = new Map<string, number | undefined>();
const START_PTS_CACHE_SIZE = 1000;
const START_BYTES = 64 * 1024;

/** The first MPEG-TS presentation time of a revision's renditions (all start together: one ffmpeg run). */
async function revisionStartPts({ videoId, revision, key }: { videoId: string; revision: number; key: (file: string) => string }): Promise<number | undefined> {
  const cacheKey = `${videoId}/${revision}`;
  if (startPtsCache.has(cacheKey)) return startPtsCache.get(cacheKey);
  const master = await readText(key(MASTER_PLAYLIST));
  const variant = parseMediaPlaylist(master)[0]?.uri;
  const rendition = variant ? RENDITION_PLAYLIST.exec(`hls/${variant}`)?.[1] : undefined;
  let pts: number | undefined;
  if (rendition) {
    const segment = parseMediaPlaylist(await readText(key(`hls/${rendition}/index.m3u8`)))[0]?.uri;
    if (segment && /^segment_[0-9]{4,6}\.ts$/.test(segment)) {
      const { body } = await storage.getObjectStream({ key: key(`hls/${rendition}/${segment}`), range: { start: 0, end: START_BYTES - 1 } });
      pts = firstPresentationTimestamp(await readAll(body));
    }
  }
  if (startPtsCache.size >= START_PTS_CACHE_SIZE) startPtsCache.delete(startPtsCache.keys().next().value ?? "");
  startPtsCache.set(cacheKey, pts);
  return pts;
}

async function readAll(body: AsyncIterable<unknown>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function readText(key: string): Promise<string> {
  try {
    const { body } = await storage.getObjectStream({ key });
    return Buffer.from(await readAll(body)).toString("utf8");
  } catch (error) {
    if (storageErrorCode(error) === "NoSuchKey") throw noSuchMedia();
    throw error;
  }
}
