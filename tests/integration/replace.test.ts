import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "@/dev/seed";
import { parseMediaPlaylist } from "@/lib/processing/playlists";
import { storage } from "@/lib/storage";
import { getMedia } from "@/lib/videos/media";
import { reprocessVideo } from "@/lib/videos/processing-state";
import { startReplacement } from "@/lib/videos/replacements";
import { sweep } from "@/lib/videos/sweeper";
import { abortUpload, completeUpload } from "@/lib/videos/uploads";
import { getVideo, updateVideoMetadata } from "@/lib/videos/videos";
import { testDatabase } from "../helpers/db";
import { uploadVideo } from "../helpers/upload-video";
import { makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const instructor = { id: SEED.users.instructor.id };
const viewer = { id: SEED.users.student.id };
const courseId = SEED.courses.trading.id;
const lessonId = Object.values(SEED.lessons)[0]?.id ?? "";
const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-replace-test-${process.pid}`);
const work = { PROCESSING_TEMP_DIR: path.join(fixtures, "work") };

type Row = {
  status: string;
  processing_stage: string | null;
  processing_error: string | null;
  media_revision: number;
  storage_key: string;
  original_filename: string;
  file_size_bytes: number;
  duration_seconds: number | null;
  title: string;
  lesson_id: string | null;
  version: number;
};

async function row(videoId: string): Promise<Row> {
  const [found] = await sql<Row[]>`
    select status, processing_stage, processing_error, media_revision, storage_key, original_filename, file_size_bytes::int as file_size_bytes,
      duration_seconds, title, lesson_id, version
    from videos where id = ${videoId}`;
  if (!found) throw new Error(`no video ${videoId}`);
  return found;
}

async function replacementStatus(videoId: string) {
  const [found] = await sql<{ status: string; error: string | null }[]>`select status, error from video_replacements where video_id = ${videoId} order by created_at desc limit 1`;
  return found;
}

async function waitFor(videoId: string, done: (row: Row) => boolean, timeoutMs = 120_000): Promise<Row> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await row(videoId);
    if (done(current)) return current;
    if (Date.now() > deadline) throw new Error(`video ${videoId} still ${JSON.stringify(current)}\n${worker?.output() ?? ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const idle = (current: Row) => current.processing_stage === null && current.status !== "uploaded" && current.status !== "processing";

/** What a viewer's player does: the master from the video's cdnUrl, then a variant, then its first segment. */
async function play(videoId: string) {
  const video = await getVideo({ actor: viewer, videoId });
  const mediaPath = (url: string | null) => (url ?? "").replace(`/api/v1/education/videos/${videoId}/media/`, "");
  const master = await getMedia({ actor: viewer, videoId, path: mediaPath(video.cdnUrl) });
  if (master.kind !== "text") throw new Error("the master playlist is text");
  const variant = master.body.split("\n").find((line) => line.endsWith("index.m3u8"));
  const playlist = await getMedia({ actor: viewer, videoId, path: mediaPath(video.cdnUrl).replace("master.m3u8", variant ?? "") });
  if (playlist.kind !== "text") throw new Error("the media playlist is text");
  const segments = parseMediaPlaylist(playlist.body);
  const segment = await fetch(segments[0]?.uri ?? "");
  expect(segment.status).toBe(200);
  return { video, master: master.body, segmentUrl: segments[0]?.uri ?? "" };
}

/** Uploads a file as a replacement of the video through the real flow (replace → PUT parts → complete). */
async function replaceWith(videoId: string, file: string, contentType = "video/mp4") {
  const data = await readFile(file);
  const session = await startReplacement({ actor: instructor, videoId, input: { filename: path.basename(file), fileSize: data.length, contentType } });
  expect(session.videoId).toBe(videoId);
  const parts: { partNumber: number; etag: string }[] = [];
  for (const part of session.parts) {
    const response = await fetch(part.url, { method: "PUT", body: data.subarray((part.partNumber - 1) * session.partSize, part.partNumber * session.partSize) });
    expect(response.status).toBe(200);
    parts.push({ partNumber: part.partNumber, etag: response.headers.get("etag") ?? "" });
  }
  return { session, complete: () => completeUpload({ actor: instructor, videoId, parts }) };
}

let worker: WorkerProcess | undefined;
let original = "";
let rerecorded = "";
let notVideo = "";

beforeAll(async () => {
  await mkdir(work.PROCESSING_TEMP_DIR, { recursive: true });
  original = await makeVideoFixture({ path: path.join(fixtures, "lesson.mp4"), seconds: 4, width: 640, height: 360 });
  rerecorded = await makeVideoFixture({ path: path.join(fixtures, "lesson-take-2.mp4"), seconds: 7, width: 480, height: 270 });
  notVideo = path.join(fixtures, "notes.mp4");
  await writeFile(notVideo, "these are notes, not a video");
});

afterAll(async () => {
  await worker?.stop();
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("replacing a video's source", () => {
  it(
    "viewers keep the old renditions until the new source is processed, then get the new ones; title, lesson and details stay; the old source goes with the superseded revision",
    { timeout: 300_000 },
    async () => {
      worker = spawnWorker(work);
      const videoId = await uploadVideo({ actor: instructor, courseId, file: original, title: "Week 3: sets" });
      const first = await waitFor(videoId, idle);
      expect(first, worker.output()).toMatchObject({ status: "ready" });
      const edited = await updateVideoMetadata({ actor: instructor, videoId, input: { version: first.version, lessonId, tags: ["sets"], description: "Intro" } });
      const before = await row(videoId);
      const prefix = `videos/${courseId}/${videoId}/`;
      const oldSource = before.storage_key;
      const oldPlay = await play(videoId);
      expect(oldPlay.master).toContain("RESOLUTION=640x360");

      // An aborted replacement leaves the video as it was; another may start after it.
      const abandoned = await startReplacement({ actor: instructor, videoId, input: { filename: "wrong.mp4", fileSize: 1000, contentType: "video/mp4" } });
      await expect(startReplacement({ actor: instructor, videoId, input: { filename: "x.mp4", fileSize: 1000, contentType: "video/mp4" } })).rejects.toMatchObject({ status: 409 });
      await expect(reprocessVideo({ actor: instructor, videoId })).rejects.toMatchObject({ status: 409 });
      expect(await abortUpload({ actor: instructor, videoId })).toMatchObject({ status: "ready", id: videoId });
      expect(await replacementStatus(videoId)).toMatchObject({ status: "aborted" });
      expect(abandoned.storageKey).not.toBe(oldSource);
      expect(await getVideo({ actor: instructor, videoId })).toMatchObject({ replacement: { status: "aborted", originalFilename: "wrong.mp4" } });

      const { session, complete } = await replaceWith(videoId, rerecorded);
      expect(session.storageKey.startsWith(prefix)).toBe(true);
      expect((await play(videoId)).segmentUrl).toContain(`/r${before.media_revision}/`); // mid-upload
      const queued = await complete();
      expect(queued).toMatchObject({ status: "ready", processing: { stage: "queued" } });
      const during = await play(videoId); // queued: the old version still plays
      expect(during.master).toContain("RESOLUTION=640x360");
      expect(during.segmentUrl).toContain(`/r${before.media_revision}/`);
      expect(await getVideo({ actor: instructor, videoId })).toMatchObject({ replacement: { status: "uploaded" } });

      const done = await waitFor(videoId, idle);
      expect(done, worker.output()).toMatchObject({
        status: "ready",
        processing_error: null,
        storage_key: session.storageKey,
        original_filename: "lesson-take-2.mp4",
        title: "Week 3: sets",
        lesson_id: lessonId,
        version: before.version,
      });
      expect(done.media_revision).toBeGreaterThan(before.media_revision);
      expect(done.duration_seconds).toBeGreaterThan(6);
      const after = await play(videoId);
      expect(after.master).toContain("RESOLUTION=480x270");
      expect(after.segmentUrl).toContain(`/r${done.media_revision}/`);
      expect(after.video).toMatchObject({ id: videoId, title: edited.title, description: "Intro", metadata: { tags: ["sets"] }, lessonId });
      expect(await replacementStatus(videoId)).toMatchObject({ status: "published" });
      expect((await getVideo({ actor: instructor, videoId })).replacement).toBeNull();
      // A player mid-video keeps its URLs until they expire; then the sweeper removes the old revision and the old source.
      expect((await fetch(during.segmentUrl)).status).toBe(200);
      await sql`update videos set superseded_purge_after = now() - interval '1 second' where id = ${videoId}`;
      await sweep({ storage, uploadTtlHours: 24 });
      const keys = await storage.listKeys({ prefix });
      expect(keys).not.toContain(oldSource);
      expect(keys).toContain(session.storageKey);
      expect(keys.filter((key) => key !== session.storageKey).every((key) => key.startsWith(`${prefix}r${done.media_revision}/`))).toBe(true);
      await play(videoId);

      // A replacement that cannot be processed: the video keeps its source and renditions, and says why.
      const broken = await replaceWith(videoId, notVideo);
      await broken.complete();
      const failed = await waitFor(videoId, idle);
      expect(failed, worker.output()).toMatchObject({ status: "ready", media_revision: done.media_revision, storage_key: session.storageKey });
      expect(await replacementStatus(videoId)).toMatchObject({ status: "failed", error: expect.stringMatching(/not a video|no video/i) });
      expect(await getVideo({ actor: instructor, videoId })).toMatchObject({ replacement: { status: "failed", originalFilename: "notes.mp4" } });
      expect((await play(videoId)).master).toContain("RESOLUTION=480x270");
      // Viewers never see replacements.
      expect((await getVideo({ actor: viewer, videoId })).replacement).toBeUndefined();
    },
  );
});
