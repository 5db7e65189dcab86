import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
// Relative: drizzle-kit loads this file without the app's path aliases.
import { type CaptionKind, type CaptionOrigin, captionKinds, captionOrigins, transcriptionStatuses } from "../lib/captions/kinds";
import { replacementStatuses, type VideoStatus, videoStatuses } from "../lib/videos/status";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => timestamptz("created_at").notNull().defaultNow();
const updatedAt = () =>
  timestamptz("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

// ---------------------------------------------------------------------------
// Users and Auth.js tables (shape required by @auth/drizzle-adapter)
// ---------------------------------------------------------------------------

export const users = pgTable(
  "users",
  {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name"),
  email: text("email").notNull().unique(),
  emailVerified: timestamptz("email_verified"),
  image: text("image"),
  /** Argon2id hash; null for users who only sign in through an OAuth provider. */
  passwordHash: text("password_hash"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  },
  // Invitations match addresses case-insensitively (OAuth accounts may keep the provider's capitals).
  (t) => [index("users_email_lower_idx").on(sql`lower(${t.email})`)],
);

export const accounts = pgTable(
  "accounts",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_id_idx").on(t.userId)],
);

/**
 * One row per signed-in browser. Sessions are JWTs (Credentials sign-in needs them), but each JWT carries its row's
 * `session_token` and is honoured only while the row exists and has not expired: deleting the row signs it out.
 */
export const sessions = pgTable(
  "sessions",
  {
    sessionToken: text("session_token").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: timestamptz("expires").notNull(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

/**
 * Failed sign-in attempts per key (`account:<email>` or `address:<ip>`) in a fixed window that starts with the
 * first failure. Attempts are counted before the password is checked, in one upsert, so concurrent guesses cannot
 * all slip under the limit.
 */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull(),
    windowStartedAt: timestamptz("window_started_at").notNull(),
  },
  (t) => [index("sign_in_throttle_window_started_at_idx").on(t.windowStartedAt)],
);

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamptz("expires").notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 100 }).notNull(),
    /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    lastUsedAt: timestamptz("last_used_at"),
    /** Null: never expires. */
    expiresAt: timestamptz("expires_at"),
    revokedAt: timestamptz("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_tokens_user_id_idx").on(t.userId)],
);

// ---------------------------------------------------------------------------
// Courses
// ---------------------------------------------------------------------------

export const courseRoles = ["owner", "instructor", "editor", "viewer"] as const;
export const courseRole = pgEnum("course_role", courseRoles);

export const courses = pgTable("courses", {
  id: uuid("id").primaryKey().defaultRandom(),
  title: varchar("title", { length: 200 }).notNull(),
  description: text("description"),
  /** Archived courses are read-only and left out of "My courses" unless asked for. */
  archivedAt: timestamptz("archived_at"),
  /** Optimistic concurrency for course settings: every update bumps it; writers send the version they read. */
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const lessons = pgTable(
  "lessons",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    title: varchar("title", { length: 200 }).notNull(),
    position: integer("position").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("lessons_course_position_key").on(t.courseId, t.position)],
);

export const courseMembers = pgTable(
  "course_members",
  {
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: courseRole("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.userId] }), index("course_members_user_id_idx").on(t.userId)],
);

/**
 * An invitation to join a course with a role. The link's token is never stored: only its SHA-256 (as for API
 * tokens). An invitation is open while neither accepted nor revoked; at most one open invitation per address and
 * course (emails are stored lowercased). An open one past `expires_at` is expired; inviting the address again
 * revokes it and opens a new one.
 */
export const courseInvitations = pgTable(
  "course_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    email: varchar("email", { length: 320 }).notNull(),
    role: courseRole("role").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamptz("expires_at").notNull(),
    acceptedAt: timestamptz("accepted_at"),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamptz("revoked_at"),
    /** When the invitation email went out (null: not sent, or no SMTP_URL); the last failed attempt's reason. */
    emailSentAt: timestamptz("email_sent_at"),
    emailError: text("email_error"),
    createdAt: createdAt(),
  },
  (t) => [
    check("course_invitations_email_lower_check", sql`${t.email} = lower(${t.email})`),
    uniqueIndex("course_invitations_open_email_key")
      .on(t.courseId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    // The pending list: a course's open invitations, newest first (NULLS FIRST, as `ORDER BY … DESC` sorts).
    index("course_invitations_open_created_idx")
      .on(t.courseId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
  ],
);

// ---------------------------------------------------------------------------
// Videos
// ---------------------------------------------------------------------------

export { videoStatuses, type VideoStatus };

export type TranscodedVersion = {
  name: string;
  width: number;
  height: number;
  bitrate: number;
  playlistKey: string;
};

export const videos = pgTable(
  "videos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    lessonId: uuid("lesson_id").references(() => lessons.id, { onDelete: "set null" }),
    /** Order within the lesson (ties, such as videos from before ordering existed, fall back to creation order). */
    position: integer("position").notNull().default(0),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    title: varchar("title", { length: 200 }).notNull(),
    description: text("description"),
    originalFilename: varchar("original_filename", { length: 255 }).notNull(),
    storageProvider: varchar("storage_provider", { length: 32 }).notNull(),
    storageBucket: varchar("storage_bucket", { length: 255 }).notNull(),
    storageKey: varchar("storage_key", { length: 1024 }).notNull().unique(),
    storageRegion: varchar("storage_region", { length: 64 }),
    fileSizeBytes: bigint("file_size_bytes", { mode: "number" }).notNull(),
    mimeType: varchar("mime_type", { length: 100 }).notNull(),
    durationSeconds: doublePrecision("duration_seconds"),
    status: varchar("status", { length: 16, enum: videoStatuses }).notNull().default("uploading"),
    uploadId: text("upload_id"),
    partSize: bigint("part_size", { mode: "number" }),
    uploadPartsCompleted: integer("upload_parts_completed").notNull().default(0),
    uploadPartsTotal: integer("upload_parts_total"),
    uploadProgressPercent: smallint("upload_progress_percent").notNull().default(0),
    /** Last sign of the uploader (parts signed, reported or listed): the sweeper's staleness counts from here. */
    uploadActivityAt: timestamptz("upload_activity_at").notNull().defaultNow(),
    processingStartedAt: timestamptz("processing_started_at"),
    processingCompletedAt: timestamptz("processing_completed_at"),
    processingError: text("processing_error"),
    processingProgressPercent: smallint("processing_progress_percent").notNull().default(0),
    /** What the worker is doing now: queued, probing, transcoding, uploading (null when idle). */
    processingStage: varchar("processing_stage", { length: 32 }),
    processingAttempt: smallint("processing_attempt").notNull().default(0),
    /** The pg-boss job working on the video and its last sign of life, to recover jobs of a worker that died. */
    processingJobId: uuid("processing_job_id"),
    processingHeartbeatAt: timestamptz("processing_heartbeat_at"),
    /** Machine captions (TRANSCRIPTION_URL): the last transcription job's state and, when it failed, why. Null: never asked. */
    transcriptionStatus: varchar("transcription_status", { length: 16, enum: transcriptionStatuses }),
    transcriptionError: text("transcription_error"),
    transcriptionUpdatedAt: timestamptz("transcription_updated_at"),
    /**
     * Processing writes each run's outputs under `r{n}/` beside the published ones: `mediaRevision` is
     * the revision playback serves (0: outputs made before revisions, straight under the video's prefix),
     * `processingRevision` the one the current (or last) run writes.
     */
    mediaRevision: integer("media_revision").notNull().default(0),
    processingRevision: integer("processing_revision").notNull().default(0),
    /**
     * When the revisions a publish replaced may leave storage: players that loaded them hold presigned URLs that
     * long, so they keep playing across the switch. Null when nothing waits; the sweeper removes them.
     */
    supersededPurgeAfter: timestamptz("superseded_purge_after"),
    cdnUrl: text("cdn_url"),
    thumbnailUrl: text("thumbnail_url"),
    transcodedVersions: jsonb("transcoded_versions").$type<TranscodedVersion[]>().notNull().default([]),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    /** Optimistic concurrency: every update bumps it; writers send the version they read. */
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    uploadedAt: timestamptz("uploaded_at"),
    deletedAt: timestamptz("deleted_at"),
    /** When a deleted video's objects left storage; until then the sweeper keeps trying. */
    purgedAt: timestamptz("purged_at"),
  },
  (t) => [
    check("videos_status_check", sql`${t.status} in (${sql.raw(videoStatuses.map((status) => `'${status}'`).join(", "))})`),
    check("videos_progress_check", sql`${t.uploadProgressPercent} between 0 and 100`),
    check("videos_processing_progress_check", sql`${t.processingProgressPercent} between 0 and 100`),
    check("videos_file_size_check", sql`${t.fileSizeBytes} > 0`),
    // NULLS FIRST, as `ORDER BY … DESC` sorts: an index in the other null order cannot serve the list queries.
    index("videos_course_created_idx")
      .on(t.courseId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.deletedAt} is null`),
    index("videos_lesson_created_idx")
      .on(t.lessonId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.deletedAt} is null`),
    index("videos_status_updated_idx").on(t.status, t.updatedAt),
    // upload-init's rate limit counts a user's recent starts under a per-user lock: keep that count off a table scan.
    index("videos_uploaded_by_created_idx").on(t.uploadedBy, t.createdAt),
    index("videos_upload_activity_idx")
      .on(t.uploadActivityAt)
      .where(sql`${t.status} = 'uploading'`),
    index("videos_superseded_purge_idx")
      .on(t.supersededPurgeAfter)
      .where(sql`${t.supersededPurgeAfter} is not null`),
    index("videos_metadata_gin_idx").using("gin", t.metadata),
  ],
);

export const videoUploadParts = pgTable(
  "video_upload_parts",
  {
    videoId: uuid("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    uploadedAt: timestamptz("uploaded_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.videoId, t.partNumber] }),
    check("video_upload_parts_number_check", sql`${t.partNumber} between 1 and 10000`),
  ],
);

/**
 * A new source for an existing video (`POST /videos/:id/replace`). The video row keeps describing the source it
 * plays until the replacement's renditions are published; then, in the publishing transaction, the row takes the
 * replacement's key, size, type and filename, and the old source object goes with the superseded revision. Each
 * source has a key of its own (`source-{replacementId}.{ext}`), so the old one stays intact meanwhile. The
 * replacement's parts are recorded in `video_upload_parts` (the video's own upload finished long ago: its rows are
 * cleared when a replacement starts), so the parts, complete and abort endpoints serve both alike.
 */
export const videoReplacements = pgTable(
  "video_replacements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    videoId: uuid("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    originalFilename: varchar("original_filename", { length: 255 }).notNull(),
    storageKey: varchar("storage_key", { length: 1024 }).notNull().unique(),
    fileSizeBytes: bigint("file_size_bytes", { mode: "number" }).notNull(),
    mimeType: varchar("mime_type", { length: 100 }).notNull(),
    uploadId: text("upload_id").notNull(),
    partSize: bigint("part_size", { mode: "number" }).notNull(),
    uploadPartsTotal: integer("upload_parts_total").notNull(),
    status: varchar("status", { length: 16, enum: replacementStatuses }).notNull().default("uploading"),
    /** Why the replacement failed (processing's reason), for the video's staff. */
    error: text("error"),
    uploadActivityAt: timestamptz("upload_activity_at").notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    uploadedAt: timestamptz("uploaded_at"),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    check("video_replacements_status_check", sql`${t.status} in (${sql.raw(replacementStatuses.map((status) => `'${status}'`).join(", "))})`),
    check("video_replacements_file_size_check", sql`${t.fileSizeBytes} > 0`),
    // One replacement at a time per video (the domain checks first, under the video's row lock; this is the backstop).
    uniqueIndex("video_replacements_active_key")
      .on(t.videoId)
      .where(sql`${t.status} in ('uploading', 'uploaded')`),
    index("video_replacements_video_created_idx").on(t.videoId, t.createdAt),
  ],
);

// ---------------------------------------------------------------------------
// Operations: metrics shared by every app and worker process
// ---------------------------------------------------------------------------

/**
 * Counters (and histogram buckets, sums and counts) that app and worker processes add to, read by `/api/metrics`:
 * one scrape of any app process sees every process's events, and counts survive restarts. `labels` is the sorted
 * label set as JSON text (`{}` for none), part of the key.
 */
export const metricCounters = pgTable(
  "metric_counters",
  {
    name: text("name").notNull(),
    labels: text("labels").notNull(),
    value: doublePrecision("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.labels] })],
);

/** Each running worker process's last heartbeat, written every few seconds and removed when it stops cleanly. */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamptz("started_at").notNull(),
  lastHeartbeatAt: timestamptz("last_heartbeat_at").notNull(),
  activeJobs: integer("active_jobs").notNull().default(0),
});

// ---------------------------------------------------------------------------
// Captions
// ---------------------------------------------------------------------------

export { captionKinds, captionOrigins, type CaptionKind, type CaptionOrigin };

/**
 * One caption track per video and language. The WebVTT itself is a text column, not a storage object: it is at
 * most 2 MB, it is written together with its version (one UPDATE makes the optimistic check and the write
 * atomic), the app serves it to players with the access check anyway, and the course search indexes its text.
 */
export const captionTracks = pgTable(
  "caption_tracks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    videoId: uuid("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    /** BCP 47, canonical form (`pt-BR`, `en`). */
    language: varchar("language", { length: 35 }).notNull(),
    label: varchar("label", { length: 100 }).notNull(),
    kind: varchar("kind", { length: 16, enum: captionKinds }).notNull(),
    origin: varchar("origin", { length: 16, enum: captionOrigins }).notNull(),
    reviewed: boolean("reviewed").notNull().default(false),
    /** Normalised WebVTT (LF line ends, no BOM). */
    content: text("content").notNull(),
    cueCount: integer("cue_count").notNull(),
    version: integer("version").notNull().default(1),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("caption_tracks_video_language_key").on(t.videoId, t.language),
    check("caption_tracks_kind_check", sql`${t.kind} in ('captions', 'subtitles')`),
    check("caption_tracks_origin_check", sql`${t.origin} in ('uploaded', 'machine', 'edited')`),
  ],
);

export type Chapter = { startSeconds: number; title: string };

/** A video's chapters, in order of their start; served as a WebVTT chapters track. */
export const videoChapters = pgTable("video_chapters", {
  videoId: uuid("video_id")
    .primaryKey()
    .references(() => videos.id, { onDelete: "cascade" }),
  chapters: jsonb("chapters").$type<Chapter[]>().notNull(),
  version: integer("version").notNull().default(1),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

export type User = typeof users.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type CourseRole = (typeof courseRoles)[number];
export type Course = typeof courses.$inferSelect;
export type Lesson = typeof lessons.$inferSelect;
export type CourseInvitation = typeof courseInvitations.$inferSelect;
export type Video = typeof videos.$inferSelect;
export type NewVideo = typeof videos.$inferInsert;
export type VideoReplacement = typeof videoReplacements.$inferSelect;
export type CaptionTrack = typeof captionTracks.$inferSelect;
export type VideoChapters = typeof videoChapters.$inferSelect;

