import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "@/dev/seed";
import { resolveBinaries } from "@/lib/processing/ffmpeg";
import { probeVideo } from "@/lib/processing/probe";
import { parseMediaPlaylist } from "@/lib/processing/playlists";
import { storage } from "@/lib/storage";
import { getMedia } from "@/lib/videos/media";
import { reprocessVideo } from "@/lib/videos/processing-state";
import { sweep } from "@/lib/videos/sweeper";
import { initUpload } from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";
import { processingRow, type ProcessingRow, waitForProcessing } from "../helpers/processing-flow";
import { uploadVideo } from "../helpers/upload-video";
import { makeTextFixture, makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { listMultipartUploads } from "../helpers/multipart-uploads";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const instructor = { id: SEED.users.instructor.id };
const courseId = SEED.courses.trading.id;
const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-processing-test-${process.pid}`);

const upload = (file: string, title: string) => uploadVideo({ actor: instructor, courseId, file, title });

const row = (videoId: string) => processingRow(sql, videoId);
const waitFor = (videoId: string, done: (row: ProcessingRow) => boolean, timeoutMs?: number) => waitForProcessing(sql, videoId, done, timeoutMs);

const text = async (media: Awaited<ReturnType<typeof getMedia>>) => {
  if (media.kind !== "text") throw new Error(`expected a playlist, got ${media.kind}`);
  return media.body;
};

let worker: WorkerProcess | undefined;
let clip = "";
// Workers' scratch space inside the test's own directory: a killed worker's leftovers go when the test ends.
const work = { PROCESSING_TEMP_DIR: path.join(fixtures, "work") };

beforeAll(async () => {
  await import("node:fs/promises").then((fs) => fs.mkdir(work.PROCESSING_TEMP_DIR, { recursive: true }));
  clip = await makeVideoFixture({ path: path.join(fixtures, "lesson.mp4"), seconds: 10, width: 1280, height: 720 });
});

afterAll(async () => {
  await worker?.stop();
  await close();
  await import("node:fs/promises").then((fs) => fs.rm(fixtures, { recursive: true, force: true }));
});

describe("processing", () => {
  it("turns an uploaded 720p video into a CMAF HLS ladder, poster and storyboard, then ready", { timeout: 120_000 }, async () => {
    worker = spawnWorker(work);
    const videoId = await upload(clip, "Ten seconds at 720p");
    const ready = await waitFor(videoId, (current) => current.status !== "uploaded" && current.status !== "processing" && current.status !== "playable");
    expect(ready, worker.output()).toMatchObject({ status: "ready", processing_error: null, processing_stage: null });

    const probe = await probeVideo({ ffprobe: resolveBinaries({}).ffprobe, path: clip });
    expect(Math.abs((ready.duration_seconds ?? 0) - probe.durationSeconds)).toBeLessThanOrEqual(0.1);

    const master = await text(await getMedia({ actor: instructor, videoId, path: "hls/master.m3u8" }));
    const variants = master.split("\n").filter((line) => line.startsWith("#EXT-X-STREAM-INF:"));
    expect(variants.map((line) => /RESOLUTION=(\d+x\d+)/.exec(line)?.[1])).toEqual(["1280x720", "854x480", "640x360"]);
    for (const line of variants) expect(line).toMatch(/BANDWIDTH=\d+,.*CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2".*,AUDIO="audio"$/);
    expect(master).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"');
    expect(master).not.toContain("1080");

    for (const rendition of ["720p", "480p", "360p", "audio"]) {
      const playlist = await text(await getMedia({ actor: instructor, videoId, path: `hls/${rendition}/index.m3u8` }));
      expect(playlist).toContain("#EXT-X-VERSION:7");
      expect(playlist).toMatch(/#EXT-X-MAP:URI="[^"]*\/init\.mp4\?[^"]*X-Amz-Signature=/); // the init segment, presigned like the segments
      const segments = parseMediaPlaylist(playlist);
      expect(segments.reduce((sum, segment) => sum + segment.duration, 0)).toBeCloseTo(probe.durationSeconds, 0);
      for (const segment of segments) {
        const response = await fetch(segment.uri);
        expect(response.status, segment.uri).toBe(200);
        // CMAF media segments (fMP4): a segment type box first.
        expect(Buffer.from(new Uint8Array(await response.arrayBuffer()).subarray(4, 8)).toString("latin1")).toBe("styp");
      }
    }

    const poster = await getMedia({ actor: instructor, videoId, path: "poster.jpg" });
    if (poster.kind !== "redirect") throw new Error("the poster is a redirect to storage");
    const jpeg = new Uint8Array(await (await fetch(poster.url)).arrayBuffer());
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const vtt = await text(await getMedia({ actor: instructor, videoId, path: "storyboard.vtt" }));
    expect(vtt).toMatch(/^WEBVTT/);
    expect(vtt).toContain("storyboard.jpg#xywh=0,0,160,90");

    // The source stays private, and members of other courses see nothing.
    await expect(getMedia({ actor: instructor, videoId, path: "source.mp4" })).rejects.toMatchObject({ status: 404 });
    await expect(getMedia({ actor: { id: SEED.users.other.id }, videoId, path: "hls/master.m3u8" })).rejects.toMatchObject({ status: 404 });

    // Reprocessing makes the same outputs under the next revision's keys; the earlier one goes once its URLs expire.
    const withoutRevision = (keys: string[]) => keys.map((key) => key.replace(/\/r\d+\//, "/r{n}/")).sort();
    const keysBefore = await storage.listKeys({ prefix: `videos/${courseId}/${videoId}/` });
    expect(keysBefore.filter((key) => key.includes("/r1/")).length).toBe(keysBefore.length - 1); // all but the source
    const again = await reprocessVideo({ actor: instructor, videoId });
    expect(again).toMatchObject({ status: "ready", processing: { stage: "queued" } }); // still playing meanwhile
    await expect(reprocessVideo({ actor: instructor, videoId })).rejects.toMatchObject({ status: 409 });
    await waitFor(videoId, (current) => current.status === "ready" && current.processing_stage === null);
    const superseded = async () => (await storage.listKeys({ prefix: `videos/${courseId}/${videoId}/` })).filter((key) => key.includes("/r1/"));
    expect((await superseded()).length).toBeGreaterThan(0); // kept while the URLs handed out for it are valid
    await sql`update videos set superseded_purge_after = now() - interval '1 second' where id = ${videoId}`;
    await sweep({ storage, uploadTtlHours: 24 });
    expect(await superseded()).toEqual([]);
    const keysAfter = await storage.listKeys({ prefix: `videos/${courseId}/${videoId}/` });
    expect(keysAfter.filter((key) => key.includes("/r2/")).length).toBe(keysAfter.length - 1);
    expect(withoutRevision(keysAfter)).toEqual(withoutRevision(keysBefore));
  });

  it("fails a file that is not a video, whatever its name and content type, with a readable error", { timeout: 60_000 }, async () => {
    worker ??= spawnWorker(work);
    const videoId = await upload(await makeTextFixture(path.join(fixtures, "notes.mp4")), "Not a video");
    const failed = await waitFor(videoId, (current) => current.status === "failed" || current.status === "ready");
    expect(failed.status).toBe("failed");
    expect(failed.processing_error).toMatch(/not a video we can read/);
    expect(failed.processing_attempt).toBe(1); // not retried: it will never become a video
    await expect(reprocessVideo({ actor: { id: SEED.users.editor.id }, videoId })).rejects.toMatchObject({ status: 403 });
  });

  it("finishes the job of a worker killed mid-transcode on a worker started later", { timeout: 120_000 }, async () => {
    await worker?.stop();
    const doomed = spawnWorker(work);
    const videoId = await upload(clip, "Survives a crash");
    // Killed while the ladder is encoded, its first rendition (the source remuxed) already published.
    await waitFor(videoId, (current) => current.status === "playable" && current.processing_stage === "transcoding", 60_000);
    await doomed.kill();
    expect((await row(videoId)).status).toBe("playable");
    // Still watchable while no worker runs, and while the retry runs: what was published is not lost.
    expect(await text(await getMedia({ actor: instructor, videoId, path: "hls/master.m3u8" }))).toContain("RESOLUTION=1280x720");

    worker = spawnWorker(work);
    await waitFor(videoId, (current) => current.processing_attempt === 2 || current.status === "ready", 60_000);
    expect((await row(videoId)).status).not.toBe("processing");
    const ready = await waitFor(videoId, (current) => current.status === "ready" || current.status === "failed");
    expect(ready, worker.output()).toMatchObject({ status: "ready", processing_attempt: 2 });
  });

  const systemFfmpeg = existsSync("/usr/bin/ffmpeg") && existsSync("/usr/bin/ffprobe");
  it.runIf(systemFfmpeg)("works the same with the system's ffmpeg (FFMPEG_PATH, FFPROBE_PATH)", { timeout: 120_000 }, async () => {
    await worker?.stop();
    worker = spawnWorker({ ...work, FFMPEG_PATH: "/usr/bin/ffmpeg", FFPROBE_PATH: "/usr/bin/ffprobe" });
    const videoId = await upload(clip, "System ffmpeg");
    const ready = await waitFor(videoId, (current) => current.status === "ready" || current.status === "failed");
    expect(ready, worker.output()).toMatchObject({ status: "ready" });
    expect(worker.output()).toContain("with /usr/bin/ffmpeg");
    const master = await text(await getMedia({ actor: instructor, videoId, path: "hls/master.m3u8" }));
    expect(master).toContain("RESOLUTION=1280x720");
  });

  it("aborts uploads left open past UPLOAD_TTL_HOURS, in storage too", async () => {
    const init = await initUpload({
      actor: instructor,
      input: { courseId, filename: "abandoned.mp4", fileSize: 1000, contentType: "video/mp4", metadata: { title: "Abandoned" } },
    });
    const fresh = await sweep({ storage, uploadTtlHours: 24 });
    expect((await row(init.videoId)).status).toBe("uploading");
    expect(fresh.abortedUploads).toBe(0);

    // As if its last part activity was 25 hours ago (a sweep "in the future" would also abort other test files' uploads).
    await sql`update videos set upload_activity_at = now() - interval '25 hours' where id = ${init.videoId}`;
    const report = await sweep({ storage, uploadTtlHours: 24 });
    expect(report.abortedUploads).toBeGreaterThanOrEqual(1);
    expect((await row(init.videoId)).status).toBe("aborted");
    const open = await listMultipartUploads(storage, { prefix: `videos/${courseId}/${init.videoId}/` });
    expect(open).toEqual([]);
  });

  it("removes the objects a deleted video left in storage", async () => {
    const videoId = await upload(await makeTextFixture(path.join(fixtures, "left-behind.mp4")), "Left behind");
    const prefix = `videos/${courseId}/${videoId}/`;
    await storage.putObject({ key: `${prefix}poster.jpg`, body: "not really a poster", contentType: "image/jpeg" });
    // As if the delete's own removal had failed: deleted, objects still there.
    await sql`update videos set deleted_at = now(), purged_at = null where id = ${videoId}`;
    expect((await storage.listKeys({ prefix })).length).toBeGreaterThan(0);
    await sweep({ storage, uploadTtlHours: 24 });
    expect(await storage.listKeys({ prefix })).toEqual([]);
    const [purged] = await sql<{ purged_at: string | null }[]>`select purged_at from videos where id = ${videoId}`;
    expect(purged?.purged_at).not.toBeNull();
  });
});
