import { mkdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveBinaries, runFfprobe } from "@/lib/processing/ffmpeg";
import { parseMediaPlaylist, playlistDuration } from "@/lib/processing/playlists";
import { fetchCmafRendition } from "../helpers/cmaf";
import { testDatabase } from "../helpers/db";
import { mediaBytes, mediaText, uploadFile, waitUntilProcessed } from "../helpers/processing-flow";
import {
  makePlaylistFixture,
  makeRecordedWebmFixture,
  makeTruncatedMp4Fixture,
  makeTsSegmentFixture,
  makeVideoFixture,
  recordInChromium,
} from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-unusual-media-test-${process.pid}`);
const work = { PROCESSING_TEMP_DIR: path.join(fixtures, "work") };
const { ffprobe } = resolveBinaries({});
const file = (name: string) => path.join(fixtures, name);

/** ffprobe's JSON for a file (what the fixtures really are). */
async function probeJson(target: string) {
  const stdout = await runFfprobe({ binary: ffprobe, args: ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", target] });
  return JSON.parse(stdout) as { format: { duration?: string }; streams: { codec_type: string; width?: number; height?: number }[] };
}

let worker: WorkerProcess;
// Stands in for an internal service a playlist could point ffmpeg at: it must never be asked for anything.
let bait: Server;
const baitRequests: string[] = [];

beforeAll(async () => {
  await mkdir(work.PROCESSING_TEMP_DIR, { recursive: true });
  bait = createServer((request, response) => {
    baitRequests.push(request.url ?? "");
    response.end();
  });
  await new Promise<void>((resolve) => bait.listen(0, "127.0.0.1", resolve));
  worker = spawnWorker(work);
});

afterAll(async () => {
  await worker.stop();
  await new Promise((resolve) => bait.close(resolve));
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("unusual and hostile media", () => {
  it("refuses a playlist that points at a local file or a URL, without following it", { timeout: 60_000 }, async () => {
    const segment = await makeTsSegmentFixture({ path: file("elsewhere.ts"), seconds: 2 });
    const { port } = bait.address() as AddressInfo;
    const local = await uploadFile(await makePlaylistFixture({ path: file("local-playlist.mp4"), segments: [segment] }), "Points at a local file");
    const remote = await uploadFile(
      await makePlaylistFixture({ path: file("remote-playlist.mp4"), segments: [`http://127.0.0.1:${port}/internal/segment.ts`] }),
      "Points at a URL",
    );
    for (const videoId of [local, remote]) {
      const done = await waitUntilProcessed(sql, videoId);
      expect(done, worker.output()).toMatchObject({
        status: "failed",
        processing_attempt: 1,
        processing_error: "The file is a playlist that points to other files or addresses, not a video. Upload the video file itself.",
      });
    }
    expect(baitRequests).toEqual([]);
  });

  it("refuses, before transcoding, videos past the limits (8192 px per side, 240 fps) with the reason", { timeout: 60_000 }, async () => {
    const wide = await uploadFile(await makeVideoFixture({ path: file("wide.mp4"), seconds: 1, width: 8200, height: 64, rate: 5, audio: false }), "Too wide");
    const fast = await uploadFile(await makeVideoFixture({ path: file("fast.mp4"), seconds: 2, width: 160, height: 120, rate: 300, audio: false }), "Too fast");
    expect(await waitUntilProcessed(sql, wide)).toMatchObject({
      status: "failed",
      processing_attempt: 1,
      processing_error: expect.stringMatching(/^The video is too large: 8200×64 pixels, and at most 8192 pixels per side are accepted\./),
    });
    expect(await waitUntilProcessed(sql, fast)).toMatchObject({
      status: "failed",
      processing_attempt: 1,
      processing_error: expect.stringMatching(/^The video's frame rate is too high: 300 frames per second, and at most 240 are accepted\./),
    });
    const [{ count } = { count: -1 }] = await sql<{ count: number }[]>`select count(*)::int as count from videos where id in (${wide}, ${fast}) and processing_stage = 'transcoding'`;
    expect(count).toBe(0);
  });

  it("processes a browser-recorded WebM (no Duration, no Cues) with the duration of its last packet", { timeout: 60_000 }, async () => {
    const recording = await makeRecordedWebmFixture({ path: file("recording.webm"), seconds: 3, width: 320, height: 240 });
    const probed = await probeJson(recording);
    expect(probed.format.duration).toBeUndefined();
    const videoId = await uploadFile(recording, "Screen recording", "video/webm");
    const ready = await waitUntilProcessed(sql, videoId);
    expect(ready, worker.output()).toMatchObject({ status: "ready", processing_error: null });
    expect(ready.duration_seconds).toBeGreaterThan(2.9);
    expect(ready.duration_seconds).toBeLessThan(3.2);
    const master = await mediaText(videoId, "hls/master.m3u8");
    expect(master).toContain("RESOLUTION=320x240");
  });

  it("processes a real MediaRecorder recording from Chromium at its real frame rate, not its 1000/1 time base", { timeout: 60_000 }, async () => {
    const recording = await recordInChromium({ path: file("chromium.webm"), seconds: 2.5 });
    const probed = await probeJson(recording);
    expect(probed.format.duration).toBeUndefined();
    const videoId = await uploadFile(recording, "Recorded in the browser", "video/webm");
    const ready = await waitUntilProcessed(sql, videoId);
    expect(ready, worker.output()).toMatchObject({ status: "ready", processing_error: null });
    expect(ready.duration_seconds).toBeGreaterThan(2);
    expect(ready.duration_seconds).toBeLessThan(3.5);
    const master = await mediaText(videoId, "hls/master.m3u8");
    // Encoded at the recording's rate (about 30; fewer frames when the machine is busy), never at 1000 fps.
    const frameRate = Number(/FRAME-RATE=([\d.]+)/.exec(master)?.[1]);
    expect(frameRate).toBeGreaterThanOrEqual(10);
    expect(frameRate).toBeLessThanOrEqual(60);
    // The first CMAF segment with its init segment, as a player's source buffer gets them.
    const { segments, firstFile: segment } = await fetchCmafRendition({ videoId, rendition: "240p", scratch: file("chromium-segment.mp4") });
    const [first] = segments;
    if (!first) throw new Error("no segment");
    const frames = await runFfprobe({
      binary: ffprobe,
      args: ["-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", segment],
    });
    expect(Number(frames.trim().split("\n")[0]) / first.duration).toBeLessThanOrEqual(frameRate + 1);
  });

  it("makes a 16:9 poster for a video stored with non-square pixels", { timeout: 60_000 }, async () => {
    // 720x540 stored, 4:3 pixels: shown as 960x540, like 1440x1080 HDV shown as 1920x1080.
    const anamorphic = await makeVideoFixture({ path: file("anamorphic.mp4"), seconds: 2, width: 720, height: 540, sampleAspect: "4/3" });
    const videoId = await uploadFile(anamorphic, "Anamorphic");
    expect(await waitUntilProcessed(sql, videoId), worker.output()).toMatchObject({ status: "ready" });
    const poster = file("anamorphic-poster.jpg");
    await writeFile(poster, await mediaBytes(videoId, "poster.jpg"));
    const [picture] = (await probeJson(poster)).streams;
    expect({ width: picture?.width, height: picture?.height }).toEqual({ width: 960, height: 540 });
    expect(await mediaText(videoId, "hls/master.m3u8")).toContain("RESOLUTION=854x480");
  });

  it("stores the duration that really plays for an MP4 cut short behind its index, and a storyboard to match", { timeout: 60_000 }, async () => {
    const truncated = await makeTruncatedMp4Fixture({ path: file("truncated.mp4"), seconds: 8, width: 320, height: 240, missing: 0.4 });
    expect(Number((await probeJson(truncated)).format.duration)).toBeCloseTo(8, 1); // the index still says 8 s
    const videoId = await uploadFile(truncated, "Cut short");
    const ready = await waitUntilProcessed(sql, videoId);
    expect(ready, worker.output()).toMatchObject({ status: "ready" });
    const plays = playlistDuration(parseMediaPlaylist(await mediaText(videoId, "hls/240p/index.m3u8")));
    expect(plays).toBeGreaterThan(3);
    expect(plays).toBeLessThan(6.5);
    expect(ready.duration_seconds).toBeCloseTo(plays, 2);
    const vtt = await mediaText(videoId, "storyboard.vtt");
    const ends = [...vtt.matchAll(/--> (\d{2}):(\d{2}):(\d{2}\.\d{3})/g)].map(([, h, m, s]) => Number(h) * 3600 + Number(m) * 60 + Number(s));
    expect(Math.max(...ends)).toBeCloseTo(plays, 2);
  });

  it("says in plain words that an MP4 cut before its index is incomplete", { timeout: 60_000 }, async () => {
    // Index (moov) at the end, as cameras write it: the first half of the file has none.
    const whole = await makeVideoFixture({ path: file("index-at-end.mp4"), seconds: 2, width: 320, height: 240 });
    await truncate(whole, Math.floor((await stat(whole)).size / 2));
    const videoId = await uploadFile(whole, "Half a file");
    const failed = await waitUntilProcessed(sql, videoId);
    expect(failed).toMatchObject({
      status: "failed",
      processing_attempt: 1,
      processing_error: "The file is incomplete: it ends before the video index. Upload the whole file again.",
    });
    expect(failed.processing_error).not.toMatch(/@ 0x|\[mov/);
  });

  it("falls back to the bundled ffmpeg with a warning when there is none on PATH, and honours the PROCESSING_MAX_* limits", { timeout: 60_000 }, async () => {
    await worker.stop();
    worker = spawnWorker({ ...work, PATH: path.join(fixtures, "no-binaries-here"), PROCESSING_MAX_DURATION_HOURS: String(2 / 3600) });
    const long = await uploadFile(await makeVideoFixture({ path: file("three-seconds.mp4"), seconds: 3, width: 320, height: 240 }), "Longer than allowed");
    const short = await uploadFile(await makeVideoFixture({ path: file("one-second.mp4"), seconds: 1, width: 320, height: 240 }), "Short enough");
    expect(await waitUntilProcessed(sql, long), worker.output()).toMatchObject({
      status: "failed",
      processing_error: "The video is too long: 3 s, and at most 2 s are accepted. Split it into shorter videos and upload them.",
    });
    // The old bundled build still runs every command (whitelists, forced demuxer, HLS and image2 outputs).
    expect(await waitUntilProcessed(sql, short), worker.output()).toMatchObject({ status: "ready" });
    expect(worker.output()).toMatch(/\[worker\] warning: no ffmpeg on PATH and FFMPEG_PATH is unset: using the outdated build bundled by @ffmpeg-installer\/ffmpeg/);
    expect(worker.output()).toMatch(/\[worker\] warning: no ffprobe on PATH/);
    expect(worker.output()).toContain("node_modules/@ffmpeg-installer/");
  });
});
