import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "@/dev/seed";
import { parseMediaPlaylist } from "@/lib/processing/playlists";
import { storage } from "@/lib/storage";
import { getMedia } from "@/lib/videos/media";
import { reprocessVideo } from "@/lib/videos/processing-state";
import { sweep } from "@/lib/videos/sweeper";
import { getVideo } from "@/lib/videos/videos";
import { initUpload } from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";
import { uploadVideo } from "../helpers/upload-video";
import { makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const instructor = { id: SEED.users.instructor.id };
const viewer = { id: SEED.users.student.id };
const courseId = SEED.courses.trading.id;
const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-reprocess-test-${process.pid}`);
const work = { PROCESSING_TEMP_DIR: path.join(fixtures, "work") };

type Row = { status: string; processing_stage: string | null; processing_error: string | null; media_revision: number; storage_key: string };

async function row(videoId: string): Promise<Row> {
  const [found] = await sql<Row[]>`select status, processing_stage, processing_error, media_revision, storage_key from videos where id = ${videoId}`;
  if (!found) throw new Error(`no video ${videoId}`);
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
  const [first] = parseMediaPlaylist(playlist.body);
  const segment = await fetch(first?.uri ?? "");
  expect(segment.status).toBe(200);
  // A CMAF (fMP4) media segment: its segment type box first.
  expect(Buffer.from(new Uint8Array(await segment.arrayBuffer()).subarray(4, 8)).toString("latin1")).toBe("styp");
  return { video, segmentUrl: first?.uri ?? "" };
}

let worker: WorkerProcess | undefined;
let clip = "";

beforeAll(async () => {
  await mkdir(work.PROCESSING_TEMP_DIR, { recursive: true });
  clip = await makeVideoFixture({ path: path.join(fixtures, "lesson.mp4"), seconds: 4, width: 640, height: 360 });
});

afterAll(async () => {
  await worker?.stop();
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("reprocessing", () => {
  it("refuses an uploaded video: its job is already queued", async () => {
    const init = await initUpload({
      actor: instructor,
      input: { courseId, filename: "queued.mp4", fileSize: 1000, contentType: "video/mp4", metadata: { title: "Queued" } },
    });
    // Uploaded and queued, without a job in the queue for another test file's worker to take.
    await sql`update videos set status = 'uploaded', uploaded_at = now(), processing_stage = 'queued' where id = ${init.videoId}`;
    await expect(reprocessVideo({ actor: instructor, videoId: init.videoId })).rejects.toMatchObject({ status: 409 });
    expect(await row(init.videoId)).toMatchObject({ status: "uploaded", processing_stage: "queued" });
  });

  it(
    "a ready video stays playable for viewers while it is reprocessed and after a failed reprocess; a successful one switches to the new revision",
    { timeout: 300_000 },
    async () => {
      worker = spawnWorker(work);
      const videoId = await uploadVideo({ actor: instructor, courseId, file: clip, title: "Reprocessed" });
      const first = await waitFor(videoId, idle);
      expect(first, worker.output()).toMatchObject({ status: "ready" });
      const { storage_key: sourceKey, media_revision: published } = first;
      const prefix = `videos/${courseId}/${videoId}/`;
      const publishedKeys = (await storage.listKeys({ prefix })).sort();
      await play(videoId);

      // A reprocess that fails (the source is no longer a video): the video stays ready with the old renditions.
      await storage.putObject({ key: sourceKey, body: "not a video any more", contentType: "video/mp4" });
      const queued = await reprocessVideo({ actor: instructor, videoId });
      expect(queued).toMatchObject({ status: "ready", processing: { stage: "queued", error: null } });
      await play(videoId); // while queued
      const failed = await waitFor(videoId, idle);
      expect(failed, worker.output()).toMatchObject({ status: "ready", media_revision: published });
      expect(failed.processing_error).toMatch(/not a video/);
      const afterFailure = await play(videoId);
      expect(afterFailure.video.processing.error).toMatch(/not a video/);
      expect((await storage.listKeys({ prefix })).sort()).toEqual(publishedKeys); // the failed run left nothing

      // A reprocess that succeeds: viewers keep playing meanwhile, then the new revision is served; the old one goes once its URLs expire.
      await storage.putFile({ key: sourceKey, path: clip, contentType: "video/mp4" });
      await reprocessVideo({ actor: instructor, videoId });
      const during = await play(videoId);
      expect(during.segmentUrl).toContain(`/r${published}/`);
      const done = await waitFor(videoId, idle);
      expect(done, worker.output()).toMatchObject({ status: "ready", processing_error: null });
      expect(done.media_revision).toBeGreaterThan(published);
      const after = await play(videoId);
      expect(after.video.cdnUrl).toContain(`/media/r${done.media_revision}/hls/master.m3u8`);
      expect(after.video.thumbnailUrl).toContain(`/r${done.media_revision}/`);
      expect(after.segmentUrl).toContain(`/r${done.media_revision}/`);
      // The replaced revision still plays for as long as the URLs handed out for it last: a player mid-video keeps going.
      const superseded = async () => (await storage.listKeys({ prefix })).filter((key) => key !== sourceKey && !key.startsWith(`${prefix}r${done.media_revision}/`));
      expect((await superseded()).sort()).toEqual(publishedKeys.filter((key) => key !== sourceKey));
      expect((await getMedia({ actor: viewer, videoId, path: `r${published}/hls/master.m3u8` })).kind).toBe("text");
      expect((await fetch(during.segmentUrl)).status).toBe(200);
      const [kept] = await sql<{ seconds: number }[]>`select extract(epoch from superseded_purge_after - now())::float8 as seconds from videos where id = ${videoId}`;
      expect(kept?.seconds).toBeGreaterThan(5 * 3600); // MEDIA_URL_EXPIRY_SECONDS: 6 h
      // Once they have expired (as if that time had come) the sweeper removes the replaced revision.
      await sql`update videos set superseded_purge_after = now() - interval '1 second' where id = ${videoId}`;
      const report = await sweep({ storage, uploadTtlHours: 24 });
      expect(report.purgedRevisions).toBeGreaterThanOrEqual(1);
      expect(await superseded()).toEqual([]);
      expect((await storage.listKeys({ prefix })).length).toBe(publishedKeys.length);
      // The old revision's URLs are gone with it.
      await expect(getMedia({ actor: viewer, videoId, path: `r${published}/hls/master.m3u8` })).rejects.toMatchObject({ status: 404 });
      expect((await fetch(during.segmentUrl)).status).toBe(404);
      await play(videoId); // the published one plays on
    },
  );
});
