import "server-only";
import { and, asc, count, desc, eq, gt, inArray, isNull, lt, min, type SQL, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { courseMembers, courses, lessons, type NewVideo, type Video, type VideoStatus, videos, videoUploadParts } from "@/db/schema";

export async function insertVideo({ values, tx = db }: { values: NewVideo; tx?: Executor }): Promise<Video> {
  const [row] = await tx.insert(videos).values(values).returning();
  if (!row) throw new Error("insert into videos returned no row");
  return row;
}

const courseArchived = sql<boolean>`${courses.archivedAt} is not null`;

/** A live (not deleted) video, the user's role on its course and whether the course is archived; undefined when either is missing. */
export async function selectVideoWithRole({ videoId, userId, tx = db }: { videoId: string; userId: string; tx?: Executor }) {
  const [row] = await tx
    .select({ video: videos, role: courseMembers.role, archived: courseArchived })
    .from(videos)
    .innerJoin(courseMembers, and(eq(courseMembers.courseId, videos.courseId), eq(courseMembers.userId, userId)))
    .innerJoin(courses, eq(courses.id, videos.courseId))
    .where(and(eq(videos.id, videoId), isNull(videos.deletedAt)))
    .limit(1)
    // Named (prepared): one round trip (postgres.js describes an unnamed statement with parameters first: two).
    .prepare("select_video_with_role")
    .execute();
  return row;
}

/** The live video, locked for the rest of the transaction (serialises completes, aborts and updates). */
export async function selectVideoForUpdate({ videoId, tx }: { videoId: string; tx: Executor }): Promise<Video | undefined> {
  const [row] = await tx
    .select()
    .from(videos)
    .where(and(eq(videos.id, videoId), isNull(videos.deletedAt)))
    .for("update")
    .limit(1);
  return row;
}

export async function selectVideo({ videoId, tx = db }: { videoId: string; tx?: Executor }): Promise<Video | undefined> {
  const [row] = await tx.select().from(videos).where(eq(videos.id, videoId)).limit(1);
  return row;
}

export async function selectRole({ courseId, userId, tx = db }: { courseId: string; userId: string; tx?: Executor }) {
  const [row] = await tx
    .select({ role: courseMembers.role })
    .from(courseMembers)
    .where(and(eq(courseMembers.courseId, courseId), eq(courseMembers.userId, userId)))
    .limit(1);
  return row?.role;
}

/** The user's role on the course and whether it is archived; undefined when the user is not a member. */
export async function selectCourseAccess({ courseId, userId, tx = db }: { courseId: string; userId: string; tx?: Executor }) {
  const [row] = await tx
    .select({ role: courseMembers.role, archived: courseArchived })
    .from(courseMembers)
    .innerJoin(courses, eq(courses.id, courseMembers.courseId))
    .where(and(eq(courseMembers.courseId, courseId), eq(courseMembers.userId, userId)))
    .limit(1);
  return row;
}

export async function selectLesson({ lessonId, tx = db }: { lessonId: string; tx?: Executor }) {
  const [row] = await tx.select({ id: lessons.id, courseId: lessons.courseId }).from(lessons).where(eq(lessons.id, lessonId)).limit(1);
  return row;
}

/** Where a page ends: `createdAt` exactly as PostgreSQL holds it (microseconds, ISO 8601 in UTC), and the id. */
export type VideoCursor = { createdAt: string; id: string };

// created_at to the microsecond: a JS Date keeps milliseconds only, and rows inserted together differ below that.
const exactCreatedAt = sql<string>`to_char(${videos.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The query of a page of a course's live videos, newest first, after the cursor (keyset pagination). */
export function videoPageQuery({
  courseId,
  lessonId,
  statuses,
  limit,
  after,
  tx = db,
}: {
  courseId: string;
  lessonId?: string;
  statuses?: readonly VideoStatus[];
  limit: number;
  after?: VideoCursor;
  tx?: Executor;
}) {
  return tx
    .select({ video: videos, cursor: { createdAt: exactCreatedAt, id: videos.id } })
    .from(videos)
    .where(
      and(
        eq(videos.courseId, courseId),
        isNull(videos.deletedAt),
        lessonId ? eq(videos.lessonId, lessonId) : undefined,
        statuses ? inArray(videos.status, [...statuses]) : undefined,
        after ? sql`(${videos.createdAt}, ${videos.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(videos.createdAt), desc(videos.id))
    .limit(limit);
}

/** A page of a course's live videos, each with the cursor that continues after it. */
export async function selectVideoPage(input: Parameters<typeof videoPageQuery>[0]): Promise<{ video: Video; cursor: VideoCursor }[]> {
  return videoPageQuery(input);
}

/**
 * Serialises the user's upload starts until the transaction ends, so counting
 * them and inserting the next one happen as one step (a parallel burst cannot
 * all pass the count). The two-key form keeps clear of other advisory locks.
 */
export async function lockUploadStarts({ userId, tx }: { userId: string; tx: Executor }) {
  await tx.execute(sql`select pg_advisory_xact_lock(${UPLOAD_START_LOCK}, hashtext(${userId}))`);
}

const UPLOAD_START_LOCK = 727_275;

/** How many uploads the user started since `since`, and when the oldest of them started. */
export async function countUploadsSince({ userId, since, tx = db }: { userId: string; since: Date; tx?: Executor }) {
  const [row] = await tx
    .select({ count: count(), oldest: min(videos.createdAt) })
    .from(videos)
    .where(and(eq(videos.uploadedBy, userId), gt(videos.createdAt, since)));
  return { count: row?.count ?? 0, oldest: row?.oldest ?? undefined };
}

/**
 * Updates a live video and bumps its version. With `expectedVersion`, only
 * when the row still has that version (optimistic concurrency): undefined otherwise.
 */
export async function updateVideo({
  videoId,
  set,
  expectedVersion,
  tx = db,
}: {
  videoId: string;
  set: Partial<Omit<NewVideo, "id" | "version">>;
  expectedVersion?: number;
  tx?: Executor;
}): Promise<Video | undefined> {
  return updateLiveVideo({
    videoId,
    set: { ...set, version: sql`${videos.version} + 1` },
    only: expectedVersion === undefined ? undefined : eq(videos.version, expectedVersion),
    tx,
  });
}

type VideoSet = Partial<Omit<NewVideo, "id" | "version">> & { version?: SQL };

/** The one UPDATE of a live (not deleted) video both writers share; `only` narrows which row state it applies to. */
async function updateLiveVideo({ videoId, set, only, tx }: { videoId: string; set: VideoSet; only: SQL | undefined; tx: Executor }) {
  const [row] = await tx
    .update(videos)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(videos.id, videoId), isNull(videos.deletedAt), only))
    .returning();
  return row;
}

export async function upsertUploadParts({
  videoId,
  parts,
  tx = db,
}: {
  videoId: string;
  parts: { partNumber: number; etag: string; size: number }[];
  tx?: Executor;
}) {
  if (parts.length === 0) return;
  await tx
    .insert(videoUploadParts)
    .values(parts.map((part) => ({ videoId, ...part })))
    .onConflictDoUpdate({
      target: [videoUploadParts.videoId, videoUploadParts.partNumber],
      set: { etag: sql`excluded.etag`, size: sql`excluded.size`, uploadedAt: sql`now()` },
    });
}

export async function deleteUploadParts({ videoId, partNumbers, tx = db }: { videoId: string; partNumbers: number[]; tx?: Executor }) {
  if (partNumbers.length === 0) return;
  await tx.delete(videoUploadParts).where(and(eq(videoUploadParts.videoId, videoId), inArray(videoUploadParts.partNumber, partNumbers)));
}

export async function selectUploadParts({ videoId, tx = db }: { videoId: string; tx?: Executor }) {
  return tx
    .select({ partNumber: videoUploadParts.partNumber, etag: videoUploadParts.etag, size: videoUploadParts.size })
    .from(videoUploadParts)
    .where(eq(videoUploadParts.videoId, videoId))
    .orderBy(asc(videoUploadParts.partNumber));
}

/** Recomputes the upload progress columns from the recorded parts. */
export async function refreshUploadProgress({ videoId, tx = db }: { videoId: string; tx?: Executor }) {
  await tx.execute(sql`
    update ${videos} v set
      upload_parts_completed = p.parts,
      upload_progress_percent = least(100, floor(100.0 * p.bytes / v.file_size_bytes))::smallint,
      updated_at = now()
    from (select count(*)::int as parts, coalesce(sum(size), 0) as bytes from ${videoUploadParts} where video_id = ${videoId}) p
    where v.id = ${videoId} and v.status = 'uploading'`);
}

/**
 * Writes what the processing pipeline owns (status, progress, outputs) without
 * bumping the version: editors never conflict with the worker. With `jobId`,
 * only while that job still owns the video (a superseded worker writes nothing).
 */
export async function updateVideoProcessing({
  videoId,
  set,
  jobId,
  tx = db,
}: {
  videoId: string;
  set: Partial<Omit<NewVideo, "id" | "version">>;
  jobId?: string;
  tx?: Executor;
}): Promise<Video | undefined> {
  return updateLiveVideo({ videoId, set, only: jobId === undefined ? undefined : eq(videos.processingJobId, jobId), tx });
}

/** Uploads still open with no part activity since `before` (abandoned: the sweeper aborts them). */
export async function selectStaleUploads({ before, limit, tx = db }: { before: Date; limit: number; tx?: Executor }) {
  return tx
    .select({ id: videos.id })
    .from(videos)
    .where(and(eq(videos.status, "uploading"), lt(videos.uploadActivityAt, before)))
    .orderBy(asc(videos.uploadActivityAt))
    .limit(limit);
}

/**
 * The upload, locked, if it is still open and still stale; undefined when it
 * is not, or when another transaction (a complete, an abort) holds its row.
 */
export async function lockStaleUpload({ videoId, before, tx }: { videoId: string; before: Date; tx: Executor }): Promise<Video | undefined> {
  const [row] = await tx
    .select()
    .from(videos)
    .where(and(eq(videos.id, videoId), eq(videos.status, "uploading"), isNull(videos.deletedAt), lt(videos.uploadActivityAt, before)))
    .for("update", { skipLocked: true })
    .limit(1);
  return row;
}

/** Records that the uploader is still at work (parts signed, reported or listed). */
export async function touchUploadActivity({ videoId, tx = db }: { videoId: string; tx?: Executor }) {
  await tx.update(videos).set({ uploadActivityAt: sql`now()` }).where(and(eq(videos.id, videoId), eq(videos.status, "uploading")));
}

/** Deleted videos whose storage objects may still exist. */
export async function selectUnpurgedVideos({ limit, tx = db }: { limit: number; tx?: Executor }) {
  return tx
    .select()
    .from(videos)
    .where(and(sql`${videos.deletedAt} is not null`, isNull(videos.purgedAt)))
    .orderBy(asc(videos.deletedAt))
    .limit(limit);
}

export async function markVideoPurged({ videoId, tx = db }: { videoId: string; tx?: Executor }) {
  await tx.update(videos).set({ purgedAt: new Date() }).where(eq(videos.id, videoId));
}

/** Videos a job is processing (or reprocessing) whose worker has given no sign of life since `before`. */
export async function selectStalledProcessing({ before, tx = db }: { before: Date; tx?: Executor }) {
  return tx
    .select({ id: videos.id, processingJobId: videos.processingJobId })
    .from(videos)
    .where(
      and(
        // A watchable video (ready and reprocessed, or playable while its ladder is encoded) keeps its status while its job runs.
        inArray(videos.status, ["processing", "playable", "ready"]),
        isNull(videos.deletedAt),
        sql`${videos.processingJobId} is not null`,
        lt(videos.processingHeartbeatAt, before),
      ),
    );
}

/** Uploaded videos no job was ever queued for (uploaded before processing existed). */
export async function selectUnqueuedUploads({ limit, tx = db }: { limit: number; tx?: Executor }) {
  return tx
    .select({ id: videos.id })
    .from(videos)
    .where(and(eq(videos.status, "uploaded"), isNull(videos.processingStage), isNull(videos.deletedAt)))
    .limit(limit);
}

/** Published videos whose replaced revisions may now leave storage. */
export async function selectSupersededMedia({ before, limit, tx = db }: { before: Date; limit: number; tx?: Executor }) {
  return tx
    .select()
    .from(videos)
    .where(and(lt(videos.supersededPurgeAfter, before), isNull(videos.deletedAt)))
    .orderBy(asc(videos.supersededPurgeAfter))
    .limit(limit);
}

/** Marks the replaced revisions gone, unless a newer publish set a later time meanwhile. */
export async function clearSupersededPurge({ videoId, purgeAfter, tx = db }: { videoId: string; purgeAfter: Date; tx?: Executor }) {
  await tx
    .update(videos)
    .set({ supersededPurgeAfter: null })
    .where(and(eq(videos.id, videoId), eq(videos.supersededPurgeAfter, purgeAfter)));
}

/** Sets a live video's machine-caption status (no version bump: it is not an edit of the video). */
export async function updateVideoTranscription({
  videoId,
  set,
  tx = db,
}: {
  videoId: string;
  set: Pick<NewVideo, "transcriptionStatus" | "transcriptionError">;
  tx?: Executor;
}): Promise<Video | undefined> {
  return updateLiveVideo({ videoId, set: { ...set, transcriptionUpdatedAt: new Date() }, only: undefined, tx });
}
