import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { selectStalledProcessing } from "@/db/queries/videos";
import { AppError } from "@/lib/errors";
import { courseAccessibility } from "@/lib/search/accessibility";
import { searchCourse } from "@/lib/search/course-search";
import { reprocessVideo } from "@/lib/videos/processing-state";
import { startReplacement } from "@/lib/videos/replacements";
import { getVideo, listCourseVideos } from "@/lib/videos/videos";
import { createCourseWorld } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();

afterAll(async () => {
  await close();
});

/**
 * A video as the worker leaves it once its first rendition is published: playable, a master and one rendition out,
 * the ladder still encoding under a live job.
 */
async function insertPlayable({ courseId, title, seconds = 600 }: { courseId: string; title: string; seconds?: number }) {
  const [row] = await sql<{ id: string }[]>`
    insert into videos (course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status,
      duration_seconds, cdn_url, transcoded_versions, processing_stage, processing_progress_percent, processing_job_id, processing_heartbeat_at,
      processing_started_at, processing_attempt, processing_revision, media_revision, uploaded_at)
    values (${courseId}, ${title}, 'v.mp4', 'local', 'lectern', ${`videos/${courseId}/${randomUUID()}/source.mp4`}, 1000, 'video/mp4', 'playable',
      ${seconds}, '/media/r1/hls/master.m3u8', ${JSON.stringify([{ name: "360p", width: 640, height: 360, bitrate: 600_000, playlistKey: "r1/hls/360p/index.m3u8" }])}::jsonb,
      'transcoding', 40, ${randomUUID()}, now(), now(), 1, 1, 1, now())
    returning id`;
  if (!row) throw new Error("no video");
  return row.id;
}

async function conflictOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("a playable video (first rendition published, the ladder still encoding)", () => {
  it("is watched by viewers: listed, opened and found by search, its DTO saying it still improves", async () => {
    const world = await createCourseWorld(sql, ["owner", "viewer"]);
    const videoId = await insertPlayable({ courseId: world.courseId, title: "Photosynthesis live" });
    const viewer = world.first("viewer");

    const listed = await listCourseVideos({ actor: viewer, courseId: world.courseId, query: { limit: 20 } });
    expect(listed.data.map((video) => video.id)).toEqual([videoId]);
    const video = await getVideo({ actor: viewer, videoId });
    expect(video).toMatchObject({ status: "playable", playback: { watchable: true, improving: true }, processing: { progressPercent: 40 } });
    expect(video.transcodedVersions.map((version) => version.name)).toEqual(["360p"]);

    const found = await searchCourse({ actor: viewer, courseId: world.courseId, query: { q: "photosynthesis", limit: 20, offset: 0 } });
    expect(found.data.map((hit) => hit.video.id)).toEqual([videoId]);
  });

  it("counts in the accessibility report's minutes: learners already watch it", async () => {
    const world = await createCourseWorld(sql, ["owner", "editor"]);
    await insertPlayable({ courseId: world.courseId, title: "Still encoding", seconds: 300 });
    const report = await courseAccessibility({ actor: world.first("editor"), courseId: world.courseId });
    expect(report.videos).toHaveLength(1);
    expect(report).toMatchObject({ readySeconds: 300, reviewedSeconds: 0, reviewedShare: 0 });
  });

  it("cannot be reprocessed nor replaced while its ladder is encoding: a 409 that says why", async () => {
    const world = await createCourseWorld(sql, ["owner"]);
    const videoId = await insertPlayable({ courseId: world.courseId, title: "Not yet" });
    const owner = world.first("owner");

    const reprocess = await conflictOf(reprocessVideo({ actor: owner, videoId }));
    expect(reprocess).toMatchObject({ code: "conflict", status: 409, details: { status: "playable", stage: "transcoding", progressPercent: 40 } });
    expect(reprocess.message).toBe("The video is already being processed: it plays, and its other renditions are still being encoded.");

    const replace = await conflictOf(startReplacement({ actor: owner, videoId, input: { filename: "retake.mp4", fileSize: 10_000_000, contentType: "video/mp4" } }));
    expect(replace).toMatchObject({ code: "conflict", status: 409, details: { status: "playable", progressPercent: 40 } });
    expect(replace.message).toBe("The video is still improving its quality (its other renditions are being encoded); replace it once it is ready.");
    // Nothing changed: no replacement record, the run goes on.
    const [row] = await sql<{ status: string; stage: string | null; replacements: number }[]>`
      select status, processing_stage as stage, (select count(*)::int from video_replacements where video_id = ${videoId}) as replacements from videos where id = ${videoId}`;
    expect(row).toEqual({ status: "playable", stage: "transcoding", replacements: 0 });
  });

  it("whose ladder failed for good still plays, and may then be replaced to fix it", async () => {
    const world = await createCourseWorld(sql, ["owner"]);
    const videoId = await insertPlayable({ courseId: world.courseId, title: "Ladder failed" });
    await sql`update videos set processing_stage = null, processing_job_id = null, processing_error = 'ffmpeg stopped' where id = ${videoId}`;
    const owner = world.first("owner");
    expect(await getVideo({ actor: owner, videoId })).toMatchObject({ status: "playable", playback: { watchable: true, improving: false }, processing: { error: "ffmpeg stopped" } });
    const started = await startReplacement({ actor: owner, videoId, input: { filename: "retake.mp4", fileSize: 10_000_000, contentType: "video/mp4" } });
    expect(started.videoId).toBe(videoId);
    const [row] = await sql<{ status: string; replacement: string }[]>`
      select v.status, r.status as replacement from videos v join video_replacements r on r.video_id = v.id where v.id = ${videoId}`;
    expect(row).toEqual({ status: "playable", replacement: "uploading" });
  });

  it("is recovered like any processing video when its worker stops giving signs of life", async () => {
    const world = await createCourseWorld(sql, ["owner"]);
    const videoId = await insertPlayable({ courseId: world.courseId, title: "Worker lost" });
    await sql`update videos set processing_heartbeat_at = now() - interval '1 hour' where id = ${videoId}`;
    const stalled = await selectStalledProcessing({ before: new Date(Date.now() - 60_000) });
    expect(stalled.map((video) => video.id)).toContain(videoId);
  });
});
