import "server-only";
import { db, type Transaction } from "@/db";
import { writeWatchBatch } from "@/db/queries/watch-batches";
import { insertEmptyProgress, lockProgressWithSession } from "@/db/queries/watch-progress";
import type { CourseRole, Video } from "@/db/schema";
import { publicOrigin } from "@/lib/api/public-origin";
import { AppError } from "@/lib/errors";
import { type Actor, authorize, isVideoId, loadVideo, visibleVideo } from "@/lib/videos/access";
import { isWatchable } from "@/lib/videos/status";
import { emptyRetention, mergeIntervals, retentionBits, totalSeconds } from "./intervals";
import { COMPLETION_SHARE, type VideoProgress, type WatchBatch } from "./schemas";
import { toProgressDto } from "./progress";
import { placeSequence, type SequencePlace } from "./sequences";
import { checkBatch } from "./validate-batch";
import { afterBatchRecorded } from "./after-batch";

const firstBatch = (sequence: number): SequencePlace => ({ kind: "next", lastSequence: sequence, recentSequences: 1n });

const sessionTaken = () => new AppError("conflict", "This sessionId belongs to another viewing: start a new session with a new id.");

const videoNotFound = () => AppError.notFound("Video not found.");

type WatchedVideo = Pick<Video, "id" | "courseId" | "title"> & { durationSeconds: number };

type AccessRow = { video: Pick<Video, "id" | "courseId" | "title" | "status" | "durationSeconds">; role: CourseRole | null; archived: boolean };

/** The video a member may record watching on (any member of a live course, a watchable video of known length). */
function watchableVideo(row: AccessRow | undefined): WatchedVideo {
  const { video, role, archived } = visibleVideo(row);
  authorize({ role, archived, action: "watch" });
  if (!isWatchable(video.status)) throw new AppError("conflict", "This video cannot be watched yet: it is still being processed.");
  if (video.durationSeconds === null || video.durationSeconds <= 0) throw new AppError("conflict", "This video's duration is not known yet, so its watching cannot be recorded.");
  return { id: video.id, courseId: video.courseId, title: video.title, durationSeconds: video.durationSeconds };
}

/**
 * `POST /videos/:id/watch`: records one batch of the caller's viewing session. Members only (404 otherwise), on
 * watchable videos (409 before); an absurd batch (past the end, more seconds than can have played) is 400 and
 * nothing is stored; a batch whose sequence the session has recorded already is a replay and changes nothing (a
 * late one, overtaken by a newer batch, still counts once). Answers the caller's progress either way.
 *
 * The hot path (a learner's batches after their first on the video) is three statements in one transaction:
 * lock the progress row, reading the session and the caller's membership and the video with it; write; commit.
 * Membership is checked in the transaction that writes, so a removed member can never write.
 */
export async function recordWatchBatch({
  actor,
  videoId,
  batch,
  now = new Date(),
  origin = publicOrigin(new Headers()),
}: {
  actor: Actor;
  videoId: string;
  batch: WatchBatch;
  now?: Date;
  /** The app's public origin as the learner reached it (the xAPI statements' activity ids when APP_URL is unset). */
  origin?: string;
}): Promise<VideoProgress> {
  if (!isVideoId(videoId)) throw videoNotFound();
  return db.transaction((tx) => applyWatchBatch({ tx, userId: actor.id, videoId, batch, now, origin }));
}

/**
 * The batch's access check and writes, in the caller's transaction, under the learner's progress row lock: checks
 * the caller may watch the video, checks the batch against the session's previous batch, moves the session on,
 * merges the intervals into the learner's unique seconds and retention bits, and marks completion. The one place a
 * recorded batch passes through.
 */
export async function applyWatchBatch({
  tx,
  userId,
  videoId,
  batch,
  now,
  origin,
  reread = false,
}: {
  tx: Transaction;
  userId: string;
  videoId: string;
  batch: WatchBatch;
  now: Date;
  origin: string;
  /** Set on the second pass, after the session turned out to have moved on while this batch waited for the lock. */
  reread?: boolean;
}): Promise<VideoProgress> {
  const lockKey = { videoId, userId, sessionId: batch.sessionId, tx };
  let locked = await lockProgressWithSession(lockKey);
  if (!locked?.role) {
    // Their first batch on this video (or a refusal): the access check before anything is stored.
    const video = watchableVideo(await loadVideo({ actor: { id: userId }, videoId, tx }));
    await insertEmptyProgress({ videoId: video.id, userId, courseId: video.courseId, retention: emptyRetention(), tx });
    locked = await lockProgressWithSession(lockKey);
    if (!locked) throw new Error("the progress row just inserted is missing");
  }
  const video = watchableVideo(locked);
  const { durationSeconds } = video;
  const { progress, session } = locked;
  const toDto = (row: typeof progress) => toProgressDto({ videoId: video.id, row, durationSeconds });

  if (session && (session.userId !== userId || session.videoId !== video.id)) throw sessionTaken();
  const place = session ? placeSequence({ lastSequence: session.lastSequence, recentSequences: session.recentSequences, sequence: batch.sequence }) : firstBatch(batch.sequence);
  if (place.kind === "seen") return toDto(progress);
  const late = place.kind === "late" && session ? { startedAt: session.startedAt, playedSoFar: session.watchedSeconds } : undefined;

  const check = checkBatch({ batch, durationSeconds, previousBatchAt: session?.lastBatchAt ?? null, late, now });
  if (!check.ok) throw AppError.validation("This batch cannot be right: nothing was recorded.", { fieldErrors: check.fieldErrors });

  const intervals = mergeIntervals([...progress.intervals, ...check.intervals]);
  const watchedSeconds = Math.min(durationSeconds, totalSeconds(intervals));
  const completedNow = !progress.completedAt && watchedSeconds >= COMPLETION_SHARE * durationSeconds;
  const next = {
    ...progress,
    intervals,
    watchedSeconds,
    retention: check.intervals.length > 0 ? retentionBits(intervals, durationSeconds) : progress.retention,
    // A late batch's playhead is older than the one already recorded.
    position: late ? progress.position : Math.min(batch.position, durationSeconds),
    completedAt: completedNow ? now : progress.completedAt,
    lastWatchedAt: now,
  };
  const written = await writeWatchBatch({
    session: {
      id: batch.sessionId,
      videoId: video.id,
      userId,
      courseId: video.courseId,
      lastSequence: place.lastSequence,
      recentSequences: place.recentSequences,
      late: late !== undefined,
      previous: session ? { lastSequence: session.lastSequence, recentSequences: session.recentSequences } : null,
      playedSeconds: check.playedSeconds,
      now,
    },
    progress: next,
    tx,
  });
  if (!written) {
    // Another batch of this session was recorded while this one waited for the progress row lock: the session row
    // read with the lock is the one from before that wait (READ COMMITTED re-reads only the locked row), so read
    // again, now current. Still not written: taken by another user's session (the progress lock is per learner).
    if (reread) throw sessionTaken();
    return applyWatchBatch({ tx, userId, videoId: video.id, batch, now, origin, reread: true });
  }
  const dto = toDto(next);

  await afterBatchRecorded({ tx, userId, video, batch, intervals: check.intervals, completedNow, progress: dto, now, origin });
  return dto;
}
