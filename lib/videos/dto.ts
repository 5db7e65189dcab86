import type { z } from "zod";
import type { Video, VideoReplacement } from "@/db/schema";
import { env } from "@/lib/env";
import type { videoDtoSchema } from "./schemas";
import { isWatchable } from "./status";

export type VideoDto = z.infer<typeof videoDtoSchema>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Media URLs are stored as the app's own paths (or CDN URLs); APP_URL, when set, makes the paths absolute for API clients. */
const absolute = (url: string | null) => (url && env.APP_URL ? new URL(url, env.APP_URL).href : url);

function storyboardUrl(metadata: Record<string, unknown>): string | null {
  const storyboard = metadata.storyboard;
  if (!storyboard || typeof storyboard !== "object" || !("url" in storyboard)) return null;
  return typeof storyboard.url === "string" ? absolute(storyboard.url) : null;
}

/** The API's view of a video: no storage internals (bucket, key, upload id). */
/**
 * `replacement`: the latest replacement, for staff (omitted: the field is absent). `hideTranscription`: for those
 * who do not work on captions (viewers), whose DTO never carries the transcription job's state or its error.
 */
export function toVideoDto(video: Video, extra: { replacement?: VideoReplacement | null; hideTranscription?: boolean } = {}): VideoDto {
  const { replacement, hideTranscription = false } = extra;
  const metadata = video.metadata;
  const tags = Array.isArray(metadata.tags) ? metadata.tags.filter((tag): tag is string => typeof tag === "string") : [];
  return {
    id: video.id,
    courseId: video.courseId,
    lessonId: video.lessonId,
    uploadedBy: video.uploadedBy,
    title: video.title,
    description: video.description,
    originalFilename: video.originalFilename,
    fileSizeBytes: video.fileSizeBytes,
    mimeType: video.mimeType,
    durationSeconds: video.durationSeconds,
    status: video.status,
    partSize: video.partSize,
    partCount: video.uploadPartsTotal,
    upload: { partsCompleted: video.uploadPartsCompleted, progressPercent: video.uploadProgressPercent },
    processing: {
      startedAt: iso(video.processingStartedAt),
      completedAt: iso(video.processingCompletedAt),
      error: video.processingError,
      progressPercent: video.processingProgressPercent,
      stage: video.processingStage,
      attempt: video.processingAttempt,
    },
    transcription:
      video.transcriptionStatus && !hideTranscription
        ? { status: video.transcriptionStatus, error: video.transcriptionError, updatedAt: iso(video.transcriptionUpdatedAt) }
        : null,
    cdnUrl: absolute(video.cdnUrl),
    thumbnailUrl: absolute(video.thumbnailUrl),
    storyboardUrl: storyboardUrl(video.metadata),
    transcodedVersions: video.transcodedVersions,
    // A playable video whose ladder failed for good (no stage) still plays; it is no longer improving.
    playback: { watchable: isWatchable(video.status), improving: video.status === "playable" && video.processingStage !== null },
    metadata: {
      tags,
      difficulty: typeof metadata.difficulty === "string" ? metadata.difficulty : null,
      language: typeof metadata.language === "string" ? metadata.language : null,
    },
    version: video.version,
    createdAt: video.createdAt.toISOString(),
    updatedAt: video.updatedAt.toISOString(),
    uploadedAt: iso(video.uploadedAt),
    ...(replacement === undefined ? {} : { replacement: replacement && replacement.status !== "published" ? replacementDto(replacement) : null }),
  };
}

function replacementDto(replacement: VideoReplacement) {
  return {
    id: replacement.id,
    status: replacement.status,
    originalFilename: replacement.originalFilename,
    fileSizeBytes: replacement.fileSizeBytes,
    error: replacement.error,
    createdAt: replacement.createdAt.toISOString(),
  };
}
