import { z } from "zod";
import { MEDIA_PATH } from "./media-paths";
import { replacementStatuses, videoStatuses } from "./status";
import { transcriptionStatuses } from "@/lib/captions/kinds";

/** Shared by the API routes, the upload form and the OpenAPI document. */

export const ACCEPTED_VIDEO_TYPES = ["video/mp4", "video/webm", "video/quicktime", "video/x-msvideo"] as const;
export const DIFFICULTIES = ["beginner", "intermediate", "advanced"] as const;

// BCP 47 language tag: language[-script][-region][-variants] (well-formed, not registry-checked).
const BCP47 = /^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|\d{3}))?(-([a-zA-Z\d]{5,8}|\d[a-zA-Z\d]{3}))*$/;

export const idSchema = z.uuid({ message: "must be a UUID" });

// PostgreSQL's text and jsonb cannot hold U+0000: refuse it here rather than fail in the database.
const noNul = (value: string) => !value.includes("\u0000");
const NO_NUL = "must not contain NUL characters.";

export const titleSchema = z
  .string()
  .trim()
  .min(1, "Title is required.")
  .max(200, "Title must be at most 200 characters.")
  .refine(noNul, `Title ${NO_NUL}`);
export const descriptionSchema = z.string().max(5000, "Description must be at most 5,000 characters.").refine(noNul, `Description ${NO_NUL}`);
export const tagsSchema = z
  .array(z.string().trim().min(1, "Tags cannot be empty.").max(40, "Each tag must be at most 40 characters.").refine(noNul, `Tags ${NO_NUL}`))
  .max(20, "At most 20 tags.");
export const difficultySchema = z.enum(DIFFICULTIES, { message: "Difficulty must be beginner, intermediate or advanced." });
export const languageSchema = z.string().regex(BCP47, "Language must be a BCP 47 tag such as en or pt-BR.");

export const videoMetadataSchema = z.object({
  title: titleSchema,
  description: descriptionSchema.optional(),
  tags: tagsSchema.optional(),
  difficulty: difficultySchema.optional(),
  language: languageSchema.optional(),
});
export type VideoMetadata = z.infer<typeof videoMetadataSchema>;

export const uploadInitSchema = z.object({
  courseId: idSchema,
  lessonId: idSchema.optional(),
  filename: z.string().trim().min(1, "Filename is required.").max(255, "Filename must be at most 255 characters.").refine(noNul, `Filename ${NO_NUL}`),
  fileSize: z.number({ message: "fileSize must be a number of bytes." }).int("fileSize must be a whole number of bytes.").positive("fileSize must be positive."),
  contentType: z.string().min(1).max(100),
  metadata: videoMetadataSchema,
});
export type UploadInitInput = z.infer<typeof uploadInitSchema>;

/** A new source for an existing video: the file only (title, lesson and metadata stay the video's). */
export const replaceVideoSchema = uploadInitSchema.pick({ filename: true, fileSize: true, contentType: true }).strict();
export type ReplaceVideoInput = z.infer<typeof replaceVideoSchema>;

const partNumberSchema = z.number().int().min(1).max(10_000);
const etagSchema = z.string().min(1).max(200).refine(noNul, `ETags ${NO_NUL}`);
export const completedPartSchema = z.object({ partNumber: partNumberSchema, etag: etagSchema });

export const signPartsSchema = z
  .object({
    partNumbers: z.array(partNumberSchema).max(100, "Ask for at most 100 part URLs at once."),
    completed: z.array(completedPartSchema).max(10_000).optional(),
  })
  .refine((input) => input.partNumbers.length > 0 || (input.completed?.length ?? 0) > 0, {
    message: "Ask for part URLs, report completed parts, or both.",
    path: ["partNumbers"],
  });

export const completeUploadSchema = z.object({
  parts: z.array(completedPartSchema).min(1).max(10_000),
});

export const updateVideoSchema = z
  .object({
    title: titleSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    tags: tagsSchema.optional(),
    difficulty: difficultySchema.nullable().optional(),
    language: languageSchema.nullable().optional(),
    lessonId: idSchema.nullable().optional(),
    version: z.number().int().positive(),
  })
  .strict();
export type UpdateVideoInput = z.infer<typeof updateVideoSchema>;

export const videoStatusSchema = z.enum(videoStatuses);

// A cursor's time: UTC, ISO 8601, up to microseconds (what PostgreSQL's timestamptz holds).
const CURSOR_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?Z$/;
const CURSOR_YEARS = { min: 2000, max: 2999 };

/** A real calendar time (no 31 February, no 25:00) in a sane range. */
function isCursorTime(value: string): boolean {
  const match = CURSOR_TIME.exec(value);
  if (!match) return false;
  const date = new Date(value.replace(/(\.\d{3})\d*Z$/, "$1Z"));
  if (Number.isNaN(date.getTime())) return false;
  const year = date.getUTCFullYear();
  // The round trip catches the days and hours Date rolls over.
  return year >= CURSOR_YEARS.min && year <= CURSOR_YEARS.max && date.toISOString().slice(0, 19) === value.slice(0, 19);
}

/** A decoded pagination cursor: `[createdAt, id]` of the last row of the previous page. */
export const videoCursorSchema = z.tuple([z.string().max(40).refine(isCursorTime, "not a valid time"), idSchema]);

export const listVideosQuerySchema = z.object({
  lessonId: idSchema.optional(),
  status: videoStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const transcodedVersionSchema = z.object({
  name: z.string().min(1).max(40),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bitrate: z.number().int().positive(),
  playlistKey: z.string().min(1).max(1024),
});

/** The derived files a member may fetch (lib/videos/media-paths). */
export const mediaPathSchema = z.string().regex(MEDIA_PATH);

export const processingStatusSchema = z
  .object({
    // Every status parses; the ones a processor cannot set, or not now, are answered with 409.
    status: videoStatusSchema.describe("processing: claim the video, then report progress (at least every PROCESSING_STALL_SECONDS); ready: publish; failed"),
    jobId: idSchema.optional().describe("The processor's id for this run; the same on every report of it (default: one fixed id for external processors)"),
    stage: z.enum(["downloading", "probing", "transcoding", "uploading"]).optional(),
    progressPercent: z.number().min(0).max(100).optional(),
    error: z.string().max(5000).optional(),
    final: z.boolean().optional().describe("With failed: false when the processor will retry (the video stays processing); default true"),
    durationSeconds: z.number().nonnegative().optional(),
    thumbnailUrl: z.string().min(1).max(2048).optional(),
    cdnUrl: z.string().min(1).max(2048).optional(),
    transcodedVersions: z.array(transcodedVersionSchema).max(20).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((input, context) => {
    if (input.status !== "ready") return;
    for (const field of ["durationSeconds", "cdnUrl", "thumbnailUrl", "transcodedVersions"] as const) {
      const value = input[field];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) {
        context.addIssue({ code: "custom", path: [field], message: `A ready video needs ${field}.` });
      }
    }
  });
export type ProcessingStatusInput = z.infer<typeof processingStatusSchema>;

// --- Responses (typed here so the OpenAPI document and the DTO cannot drift) --------------------

export const videoDtoSchema = z.object({
  id: idSchema,
  courseId: idSchema,
  lessonId: idSchema.nullable(),
  uploadedBy: idSchema.nullable(),
  title: z.string(),
  description: z.string().nullable(),
  originalFilename: z.string(),
  fileSizeBytes: z.number().int(),
  mimeType: z.string(),
  durationSeconds: z.number().nullable(),
  status: videoStatusSchema.describe(
    "uploading → uploaded → processing → playable (the first rendition plays; the rest of the ladder is still being encoded) → ready (every rendition published); failed, aborted",
  ),
  partSize: z.number().int().nullable(),
  partCount: z.number().int().nullable(),
  upload: z.object({ partsCompleted: z.number().int(), progressPercent: z.number().int() }),
  processing: z.object({
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    error: z.string().nullable(),
    progressPercent: z.number().int().min(0).max(100),
    stage: z.string().nullable().describe("queued, downloading, probing, transcoding, uploading or retrying while processing"),
    attempt: z.number().int(),
  }),
  transcription: z
    .object({
      status: z.enum(transcriptionStatuses).describe("The last machine-captions run: queued, running, failed (see error) or done"),
      error: z.string().nullable().describe("Why it failed, or the attempt that failed while a retry is queued"),
      updatedAt: z.string().nullable(),
    })
    .nullable()
    .describe("Machine captions (TRANSCRIPTION_URL); null when never asked for"),
  cdnUrl: z.string().nullable().describe("HLS master playlist: the app's access-checked media route (absolute when APP_URL is set) or the CDN"),
  thumbnailUrl: z.string().nullable().describe("Poster JPEG"),
  storyboardUrl: z.string().nullable().describe("WebVTT of seek-preview thumbnails (tiles of one sprite)"),
  transcodedVersions: z.array(transcodedVersionSchema).describe("The published renditions: while the video is playable, more join as they are encoded"),
  playback: z
    .object({
      watchable: z.boolean().describe("Whether the video plays now (status playable or ready): cdnUrl and transcodedVersions are published"),
      improving: z
        .boolean()
        .describe(
          "playable with its run going: more renditions are being encoded and join the master playlist as they finish (processing.progressPercent and stage say how far); false once ready, and for a playable video whose ladder failed (processing.error says why; it plays what was published)",
        ),
    })
    .describe("What is published and what is still to come, so clients tell a playable video from a ready one"),
  metadata: z.object({ tags: z.array(z.string()), difficulty: z.string().nullable(), language: z.string().nullable() }),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  uploadedAt: z.string().nullable(),
  replacement: z
    .object({
      id: idSchema,
      status: z.enum(replacementStatuses),
      originalFilename: z.string(),
      fileSizeBytes: z.number().int(),
      error: z.string().nullable(),
      createdAt: z.string(),
    })
    .nullable()
    .optional()
    .describe(
      "GET /videos/:id for owners and instructors: the latest replacement not yet published (uploading, uploaded = being processed, failed, aborted), or null",
    ),
});

const signedPartSchema = z.object({ partNumber: z.number().int(), url: z.url() });

export const uploadInitResultSchema = z.object({
  videoId: idSchema,
  uploadId: z.string(),
  storageKey: z.string(),
  partSize: z.number().int(),
  partCount: z.number().int(),
  parts: z.array(signedPartSchema),
  expiresAt: z.string(),
});

export const signedPartsResultSchema = z.object({ parts: z.array(signedPartSchema), expiresAt: z.string() });

export const uploadedPartsResultSchema = z.object({
  partSize: z.number().int(),
  partCount: z.number().int(),
  parts: z.array(z.object({ partNumber: z.number().int(), etag: z.string(), size: z.number().int() })),
});

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
