import { z } from "zod";
import { idSchema } from "@/lib/videos/schemas";

/**
 * The watch API's shapes, shared by the routes, the player, the progress and analytics pages, the OpenAPI document
 * and the xAPI job. Times are in video seconds unless named otherwise.
 */

/** A video counts as completed once this share of its seconds has been watched (unique seconds, not time spent). */
export const COMPLETION_SHARE = 0.9;
/** Playback speeds the player offers. */
export const PLAYBACK_RATES = [0.75, 1, 1.25, 1.5, 1.75, 2] as const;
/** How often the player sends a batch while playing (it also sends on pause, on seeking away and when the page is left). */
export const WATCH_BATCH_SECONDS = 10;
/** At most this many intervals and events in one batch. */
export const MAX_BATCH_INTERVALS = 100;
export const MAX_BATCH_EVENTS = 50;

const seconds = z.number({ message: "must be a number of seconds." }).finite().min(0, "must not be negative.");

/** A watched stretch [start, end) in video seconds, start < end. */
export const watchIntervalSchema = z
  .tuple([seconds, seconds])
  .refine(([start, end]) => end > start, { message: "An interval must end after it starts." });
export type WatchInterval = z.infer<typeof watchIntervalSchema>;

/** What the player saw happen, for the xAPI Video Profile statements (played, paused, seeked, completed). */
export const watchEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("played"), at: seconds }),
  z.object({ type: z.literal("paused"), at: seconds }),
  z.object({ type: z.literal("seeked"), from: seconds, to: seconds }),
]);
export type WatchEvent = z.infer<typeof watchEventSchema>;

/** `POST /videos/:id/watch`: one batch of a viewing session. */
export const watchBatchSchema = z
  .object({
    /** Made by the player when a viewing starts (one per page load of a video). */
    sessionId: idSchema,
    /** 0, 1, 2… within the session: a replayed batch (same session and sequence) changes nothing. */
    sequence: z.number().int().min(0).max(1_000_000),
    /** Where the playhead is now: the resume point. */
    position: seconds,
    intervals: z.array(watchIntervalSchema).max(MAX_BATCH_INTERVALS, `At most ${MAX_BATCH_INTERVALS} intervals in one batch.`),
    playbackRate: z.number().min(0.25, "playbackRate must be at least 0.25.").max(4, "playbackRate must be at most 4."),
    events: z.array(watchEventSchema).max(MAX_BATCH_EVENTS, `At most ${MAX_BATCH_EVENTS} events in one batch.`).optional(),
  })
  .strict();
export type WatchBatch = z.infer<typeof watchBatchSchema>;

/** `GET /videos/:id/progress` (and the 200 of `POST /watch`): the caller's own progress on one video. */
export const videoProgressSchema = z.object({
  videoId: idSchema,
  /** Resume point, or null when never watched. */
  position: seconds.nullable(),
  watchedSeconds: seconds,
  durationSeconds: seconds.nullable(),
  /** Unique seconds watched over the duration, 0–1. */
  watchedShare: z.number().min(0).max(1),
  completed: z.boolean(),
  completedAt: z.iso.datetime().nullable(),
  lastWatchedAt: z.iso.datetime().nullable(),
});
export type VideoProgress = z.infer<typeof videoProgressSchema>;

/** `GET /videos/:id/analytics?from&to`: ISO dates or datetimes, both optional (default: all retained data). */
export const analyticsQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

export const RETENTION_BUCKETS = 100;

export const videoAnalyticsSchema = z.object({
  videoId: idSchema,
  from: z.iso.datetime().nullable(),
  to: z.iso.datetime().nullable(),
  durationSeconds: seconds.nullable(),
  /** Viewing sessions. */
  views: z.number().int().min(0),
  uniqueViewers: z.number().int().min(0),
  /** Seconds of video watched, summed over sessions (rewatching counts here, unlike in completion). */
  watchSeconds: seconds,
  /** Mean over viewers of their unique share watched, 0–1. */
  averageShareWatched: z.number().min(0).max(1),
  /** Share of viewers who completed the video, 0–1. */
  completionRate: z.number().min(0).max(1),
  /** RETENTION_BUCKETS values: share of viewers (0–1) who watched each 1 % of the video. */
  retention: z.array(z.number().min(0).max(1)),
});
export type VideoAnalytics = z.infer<typeof videoAnalyticsSchema>;

/** `GET /courses/:courseId/progress` (JSON, or CSV with `?format=csv`). */
export const courseProgressQuerySchema = z.object({ format: z.enum(["json", "csv"]).default("json") });

export const courseProgressSchema = z.object({
  courseId: idSchema,
  /** The course's watchable videos in outline order (lesson, then position). */
  videos: z.array(z.object({ id: idSchema, title: z.string(), lessonTitle: z.string().nullable(), durationSeconds: seconds.nullable() })),
  /** Every member with the viewer role (learners), whether they watched or not. */
  learners: z.array(
    z.object({
      userId: z.string(),
      name: z.string().nullable(),
      email: z.string(),
      /** One entry per video, in `videos` order. */
      videos: z.array(z.object({ videoId: idSchema, watchedShare: z.number().min(0).max(1), completed: z.boolean() })),
      completedCount: z.number().int().min(0),
      averageShareWatched: z.number().min(0).max(1),
      lastWatchedAt: z.iso.datetime().nullable(),
    }),
  ),
});
export type CourseProgress = z.infer<typeof courseProgressSchema>;
