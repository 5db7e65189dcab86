import "server-only";
import { db } from "@/db";
import { deleteCaptionTrack, insertCaptionTrack, selectCaptionTrack, selectCaptionTrackForUpdate, selectCaptionTracks, updateCaptionTrack } from "@/db/queries/caption-tracks";
import type { CaptionTrack, Video } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, authorize, loadVideo } from "@/lib/videos/access";
import { type CaptionFormat, readCaptionFile } from "./caption-file";
import { type CaptionTrackDto, type CaptionUploadOptions, canonicalLanguage } from "./schemas";

type TrackSummary = Omit<CaptionTrack, "content">;

export const captionTrackPath = ({ videoId, language }: { videoId: string; language: string }) => `/api/v1/education/videos/${videoId}/captions/${language}`;

export function toCaptionTrackDto(track: TrackSummary): CaptionTrackDto {
  return {
    language: track.language,
    label: track.label,
    kind: track.kind,
    origin: track.origin,
    reviewed: track.reviewed,
    cueCount: track.cueCount,
    version: track.version,
    url: captionTrackPath({ videoId: track.videoId, language: track.language }),
    createdAt: track.createdAt.toISOString(),
    updatedAt: track.updatedAt.toISOString(),
  };
}

const noSuchTrack = () => AppError.notFound("This video has no captions in that language.");

/** The language of a route, canonical; a malformed tag is a 404 (no such track) on reads, a 400 on writes. */
function languageParam(value: string, { forWrite }: { forWrite: boolean }): string {
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // Not percent-encoded after all: take it as it is.
  }
  const language = canonicalLanguage(decoded);
  if (language) return language;
  if (!forWrite) throw noSuchTrack();
  throw AppError.validation("The language is not a BCP 47 tag.", { fieldErrors: { language: ["Language must be a BCP 47 tag such as en, pt-BR or zh-Hant."] } });
}

/** A language's own name for itself, capitalised: "English", "Português (Brasil)". */
export function defaultLabel(language: string): string {
  const name = new Intl.DisplayNames([language], { type: "language", fallback: "code" }).of(language) ?? language;
  return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
}

export async function listCaptionTracks({ actor, videoId }: { actor: Actor; videoId: string }): Promise<CaptionTrackDto[]> {
  const { video } = await loadVideo({ actor, videoId });
  return (await selectCaptionTracks({ videoId: video.id })).map(toCaptionTrackDto);
}

/** One track's WebVTT for a member of the course. */
export async function getCaptionTrack({ actor, videoId, language }: { actor: Actor; videoId: string; language: string }): Promise<CaptionTrack> {
  const { video } = await loadVideo({ actor, videoId });
  const track = await selectCaptionTrack({ videoId: video.id, language: languageParam(language, { forWrite: false }) });
  if (!track) throw noSuchTrack();
  return track;
}

export type CaptionWriteTarget = { video: Video; language: string; actor: Actor };

/** Who may change a video's captions, checked before the file is read. */
export async function authorizeCaptionWrite({ actor, videoId, language }: { actor: Actor; videoId: string; language: string }): Promise<CaptionWriteTarget> {
  const { video, role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "editCaptions" });
  return { video, language: languageParam(language, { forWrite: true }), actor };
}

export type CaptionUpload = { format: CaptionFormat; content: Uint8Array | string; options: CaptionUploadOptions };

/**
 * Creates or replaces a track from an uploaded WebVTT or SRT file (stored as WebVTT). With `version`, only over
 * that version of the track (409 with the current one otherwise, also when it was deleted meanwhile).
 */
export async function putCaptionTrack({ target, upload }: { target: CaptionWriteTarget; upload: CaptionUpload }): Promise<{ track: CaptionTrackDto; created: boolean }> {
  const { video, language, actor } = target;
  const result = readCaptionFile({ content: upload.content, format: upload.format, durationSeconds: video.durationSeconds });
  if (!result.ok) {
    const count = result.errors.length;
    throw new AppError("invalid_caption_file", `The caption file has ${count === 1 ? "a problem" : `${count} problems`}: ${result.errors[0]?.message ?? ""}`, {
      status: 400,
      details: { errors: result.errors },
    });
  }
  const { options } = upload;
  const written = await db.transaction(async (tx) => {
    const existing = await selectCaptionTrackForUpdate({ videoId: video.id, language, tx });
    if (options.version !== undefined && existing?.version !== options.version) return { conflict: existing ?? null };
    // A file a person made and uploaded counts as reviewed. Saving over a given version of a machine track is an
    // edit of it: origin `edited`, still unreviewed until someone marks it reviewed.
    const edited = options.version !== undefined && (existing?.origin === "machine" || existing?.origin === "edited");
    const values = {
      content: result.file.webvtt,
      cueCount: result.file.cues.length,
      origin: edited ? ("edited" as const) : ("uploaded" as const),
      reviewed: options.reviewed ?? (edited && existing ? existing.reviewed : true),
      updatedBy: actor.id,
    };
    if (existing) {
      const row = await updateCaptionTrack({ id: existing.id, values: { ...values, label: options.label ?? existing.label, kind: options.kind ?? existing.kind }, tx });
      return { row, created: false };
    }
    const row = await insertCaptionTrack({
      videoId: video.id,
      language,
      values: { ...values, label: options.label ?? defaultLabel(language), kind: options.kind ?? "captions" },
      tx,
    });
    return row ? { row, created: true } : { conflict: (await selectCaptionTrack({ videoId: video.id, language, tx })) ?? null };
  });
  if ("conflict" in written || !written.row) {
    const current = "conflict" in written ? written.conflict : null;
    throw new AppError(
      "conflict",
      current
        ? "Someone else changed these captions meanwhile. Review their version and upload yours again."
        : "These captions were deleted meanwhile (or never existed): upload without a version to create them.",
      { details: { current: current ? toCaptionTrackDto(current) : null } },
    );
  }
  return { track: toCaptionTrackDto(written.row), created: written.created };
}

export async function removeCaptionTrack({ target }: { target: CaptionWriteTarget }): Promise<void> {
  if (!(await deleteCaptionTrack({ videoId: target.video.id, language: target.language }))) throw noSuchTrack();
}
