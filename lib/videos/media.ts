import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { rewritePlaylistUris } from "@/lib/processing/playlists";
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
  if ((revision !== video.mediaRevision && !replacedButKept) || !mediaPathSchema.safeParse(path).success || video.transcodedVersions.length === 0) throw noSuchMedia();
  const key = (file: string) => videoRevisionKey({ courseId: video.courseId, videoId: video.id, revision, path: file });
  const expiresIn = env.MEDIA_URL_EXPIRY_SECONDS;
  // Clients may cache what we answer for a fraction of the URLs' lifetime, so a cached answer never hands out an expired URL.
  const maxAgeSeconds = Math.min(300, Math.floor(expiresIn / 4));

  const rendition = RENDITION_PLAYLIST.exec(path)?.[1];
  if (path === MASTER_PLAYLIST || path === STORYBOARD_VTT || rendition) {
    let body = await readText(key(path));
    if (rendition) body = await rewritePlaylistUris(body, (uri) => storage.presignGetObject({ key: key(`hls/${rendition}/${uri}`), expiresIn }));
    const contentType = path.endsWith(".vtt") ? "text/vtt; charset=utf-8" : "application/vnd.apple.mpegurl";
    return { kind: "text", body, contentType, maxAgeSeconds };
  }
  if (!(await storage.headObject({ key: key(path) }))) throw noSuchMedia();
  return { kind: "redirect", url: await storage.presignGetObject({ key: key(path), expiresIn }), maxAgeSeconds };
}

async function readText(key: string): Promise<string> {
  try {
    const { body } = await storage.getObjectStream({ key });
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString("utf8");
  } catch (error) {
    if (storageErrorCode(error) === "NoSuchKey") throw noSuchMedia();
    throw error;
  }
}
