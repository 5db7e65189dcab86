import "server-only";
import { selectCaptionTrack, selectCaptionTracks } from "@/db/queries/caption-tracks";
import type { Video } from "@/db/schema";
import { masterWithSubtitles, SUBTITLES_PATH, subtitlePlaylist, subtitleSegment } from "@/lib/captions/hls";
import { firstPresentationTimestamp } from "@/lib/captions/mpegts";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { AAC_LC } from "@/lib/processing/ladder";
import { parseMediaPlaylist, playlistGrowing, rewritePlaylistUris } from "@/lib/processing/playlists";
import { revisionPath, storage, storageErrorCode, videoRevisionKey } from "@/lib/storage";
import { type Actor, loadVideo } from "./access";
import { type DashAudio, dashManifest, type DashVideo, parseMaster, playlistInitUri, renditionOfUri } from "./dash-manifest";
import { firstDecodeTime, initTimescale } from "./fmp4";
import { DASH_MANIFEST, MASTER_PLAYLIST, mediaRoutePath, RENDITION_PLAYLIST, renditionPlaylist, STORYBOARD_VTT } from "./media-paths";
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

  if (path === DASH_MANIFEST) return dashMedia({ video, revision, key, maxAgeSeconds, sign: (file) => storage.publicUrl({ key: key(file) }) ?? storage.presignGetObject({ key: key(file), expiresIn }) });

  const rendition = RENDITION_PLAYLIST.exec(path)?.[1];
  if (path === MASTER_PLAYLIST || path === STORYBOARD_VTT || rendition) {
    let body = await readText(key(path));
    if (rendition) body = await presignPlaylist(body, (uri) => storage.presignGetObject({ key: key(`hls/${rendition}/${uri}`), expiresIn }));
    if (path === MASTER_PLAYLIST) {
      // The master holds no presigned URL, only the variants and the caption tracks, which change: never cached.
      body = masterWithSubtitles(body, await selectCaptionTracks({ videoId: video.id }));
      return { kind: "text", body, contentType: "application/vnd.apple.mpegurl", maxAgeSeconds: 0 };
    }
    const contentType = path.endsWith(".vtt") ? "text/vtt; charset=utf-8" : "application/vnd.apple.mpegurl";
    // A rendition published while it is written gains segments every few seconds: players reload it, caches must not keep it.
    return { kind: "text", body, contentType, maxAgeSeconds: rendition && playlistGrowing(body) ? 0 : maxAgeSeconds };
  }
  if (!(await storage.headObject({ key: key(path) }))) throw noSuchMedia();
  return { kind: "redirect", url: await storage.presignGetObject({ key: key(path), expiresIn }), maxAgeSeconds };
}

/**
 * A caption track as HLS: its media playlist (one segment, the whole video) or that segment, the track's WebVTT
 * with its cues mapped onto the renditions' clock (MPEG-TS timestamps, or the fMP4 timeline of CMAF renditions). Both carry the track's version in their URLs.
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

/** A media playlist with its segment URIs and its `#EXT-X-MAP` URI (a CMAF rendition's init segment) signed. */
async function presignPlaylist(body: string, sign: (uri: string) => Promise<string>): Promise<string> {
  const withSegments = await rewritePlaylistUris(body, sign);
  const lines = await Promise.all(
    withSegments.split("\n").map(async (line) => {
      const uri = line.startsWith("#EXT-X-MAP:") ? /URI="([^"]*)"/.exec(line)?.[1] : undefined;
      return uri ? line.replace(`URI="${uri}"`, `URI="${await sign(uri)}"`) : line;
    }),
  );
  return lines.join("\n");
}

/** A small cache of facts about a revision's files, which never change once the revision lists them. */
function revisionCache<T>(size = 1000) {
  const entries = new Map<string, T>();
  return async (cacheKey: string, load: () => Promise<T>): Promise<T> => {
    if (entries.has(cacheKey)) return entries.get(cacheKey) as T;
    const value = await load();
    if (entries.size >= size) entries.delete(entries.keys().next().value ?? "");
    entries.set(cacheKey, value);
    return value;
  };
}

const startPtsCache = revisionCache<number | undefined>();
const trackCache = revisionCache<CmafTrack | undefined>();
const START_BYTES = 64 * 1024;
// The init segment (ftyp + moov) and the head of a fragment (styp, sidx, moof header, tfdt) fit easily.
const CMAF_HEAD_BYTES = 16 * 1024;
const MPEGTS_CLOCK = 90_000;

/**
 * Where the revision's media clock starts, on the 90 kHz MPEG-TS clock a WebVTT segment's X-TIMESTAMP-MAP uses
 * (RFC 8216 3.5, also for fMP4 renditions): for MPEG-TS segments the first segment's lowest PTS/DTS; for CMAF the
 * first video segment's tfdt baseMediaDecodeTime in its init segment's timescale, converted, which is where hls.js
 * puts the start of an fMP4 timeline (its initPTS). All renditions start together (one ffmpeg run).
 */
async function revisionStartPts({ videoId, revision, key }: { videoId: string; revision: number; key: (file: string) => string }): Promise<number | undefined> {
  return startPtsCache(`${videoId}/${revision}`, async () => {
    const master = await readText(key(MASTER_PLAYLIST));
    const rendition = renditionOfUri(parseMaster(master).variants[0]?.uri ?? "");
    if (!rendition) return undefined;
    const playlist = await readText(key(renditionPlaylist(rendition)));
    const segment = parseMediaPlaylist(playlist)[0]?.uri;
    if (!segment) return undefined;
    if (/^segment_[0-9]{4,6}\.ts$/.test(segment)) {
      return firstPresentationTimestamp(await readRange(key(`hls/${rendition}/${segment}`), START_BYTES));
    }
    const track = await cmafTrack({ videoId, revision, rendition, playlist, key });
    return track ? Math.round((track.startTime * MPEGTS_CLOCK) / track.timescale) : undefined;
  });
}

type CmafTrack = { timescale: number; startTime: number; firstSegmentBytes: number };

/** A CMAF rendition's timescale and start (from its init segment and first fragment); undefined for MPEG-TS. */
async function cmafTrack({
  videoId,
  revision,
  rendition,
  playlist,
  key,
}: {
  videoId: string;
  revision: number;
  rendition: string;
  playlist: string;
  key: (file: string) => string;
}): Promise<CmafTrack | undefined> {
  const init = playlistInitUri(playlist);
  const segment = parseMediaPlaylist(playlist)[0]?.uri;
  if (!init || !segment) return undefined;
  return trackCache(`${videoId}/${revision}/${rendition}`, async () => {
    const [initBytes, head] = await Promise.all([
      readRange(key(`hls/${rendition}/${init}`), CMAF_HEAD_BYTES),
      storage.getObjectStream({ key: key(`hls/${rendition}/${segment}`), range: { start: 0, end: CMAF_HEAD_BYTES - 1 } }),
    ]);
    const segmentBytes = await readAll(head.body);
    const timescale = initTimescale(initBytes);
    const startTime = firstDecodeTime(segmentBytes);
    if (timescale === undefined || startTime === undefined) return undefined;
    const total = Number(/\/([0-9]+)$/.exec(head.contentRange ?? "")?.[1] ?? head.contentLength);
    return { timescale, startTime, firstSegmentBytes: total };
  });
}

const noDash = () =>
  AppError.notFound("This video has no DASH manifest: it was processed before CMAF segments (MPEG-TS). Play its HLS master playlist, or reprocess it.");

/**
 * The revision's DASH manifest, built from its stored master and media playlists at request time, so renditions
 * published later (progressive publishing) show up here as they do in the master. Every Initialization and media
 * URL is signed (or a CDN URL); the caption tracks point at their WebVTT through the app (a path on the manifest's origin).
 */
async function dashMedia({
  video,
  revision,
  key,
  maxAgeSeconds,
  sign,
}: {
  video: Video;
  revision: number;
  key: (file: string) => string;
  maxAgeSeconds: number;
  sign: (file: string) => Promise<string> | string;
}): Promise<MediaResponse> {
  const { variants, audioUri } = parseMaster(await readText(key(MASTER_PLAYLIST)));
  const load = async (rendition: string) => {
    const playlist = await readText(key(renditionPlaylist(rendition)));
    if (playlistGrowing(playlist)) {
      throw new AppError("conflict", "This video's DASH manifest is available once its first rendition is fully written, in a few seconds; its HLS master playlist plays already.", {
        details: { retryAfterSeconds: 5 },
        headers: { "Retry-After": "5" },
      });
    }
    const track = await cmafTrack({ videoId: video.id, revision, rendition, playlist, key });
    if (!track) throw noDash();
    const init = playlistInitUri(playlist) ?? "";
    const segments = await Promise.all(
      parseMediaPlaylist(playlist).map(async ({ uri, duration }) => ({ url: await sign(`hls/${rendition}/${uri}`), duration })),
    );
    return { track, segments, initialization: await sign(`hls/${rendition}/${init}`) };
  };
  const renditions = variants.flatMap((variant) => {
    const rendition = renditionOfUri(variant.uri);
    return rendition ? [{ variant, rendition }] : [];
  });
  if (renditions.length === 0) throw noDash();
  const videoTracks: DashVideo[] = await Promise.all(
    renditions.map(async ({ variant, rendition }) => {
      const { track, segments, initialization } = await load(rendition);
      return {
        id: rendition,
        codecs: variant.videoCodecs,
        bandwidth: variant.bandwidth,
        width: variant.width,
        height: variant.height,
        frameRate: variant.frameRate,
        timescale: track.timescale,
        startTime: track.startTime,
        initialization,
        segments,
      };
    }),
  );
  const audioRendition = audioUri ? renditionOfUri(audioUri) : undefined;
  let audio: DashAudio | undefined;
  if (audioRendition) {
    const { track, segments, initialization } = await load(audioRendition);
    const firstSeconds = segments[0]?.duration ?? 0;
    audio = {
      id: audioRendition,
      codecs: renditions[0]?.variant.audioCodecs || AAC_LC,
      // No playlist states the audio's rate: its first fragment's bytes per second do (AAC is near constant).
      bandwidth: firstSeconds > 0 ? Math.ceil((track.firstSegmentBytes * 8) / firstSeconds) : 128_000,
      samplingRate: track.timescale,
      timescale: track.timescale,
      startTime: track.startTime,
      initialization,
      segments,
    };
  }
  const text = (await selectCaptionTracks({ videoId: video.id })).map((track) => ({
    language: track.language,
    label: track.label,
    kind: track.kind,
    url: `${mediaRoutePath({ videoId: video.id, path: revisionPath({ revision, path: `hls/subtitles/${track.language}.vtt` }) })}?v=${track.version}`,
  }));
  // While the ladder is still being published (playable) the manifest gains renditions: not cached until it is ready.
  const cacheFor = video.status === "ready" ? maxAgeSeconds : 0;
  return { kind: "text", body: dashManifest({ video: videoTracks, audio, text }), contentType: "application/dash+xml", maxAgeSeconds: cacheFor };
}

async function readRange(key: string, bytes: number): Promise<Uint8Array> {
  const { body } = await storage.getObjectStream({ key, range: { start: 0, end: bytes - 1 } });
  return readAll(body);
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
