import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveBinaries, runFfmpeg, runFfprobe } from "@/lib/processing/ffmpeg";
import type { PublishStep } from "@/lib/videos/processing-state";
import { fetchCmafRendition, probeStreams } from "../helpers/cmaf";
import { testDatabase } from "../helpers/db";
import { mediaText, uploadFile, waitForProcessing, waitUntilProcessed } from "../helpers/processing-flow";
import { makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-progressive-test-${process.pid}`);
const work = { PROCESSING_TEMP_DIR: path.join(fixtures, "work") };
const file = (name: string) => path.join(fixtures, name);
const { ffmpeg, ffprobe } = resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH, ffprobePath: process.env.FFPROBE_PATH });

async function publishing(videoId: string): Promise<PublishStep[]> {
  const [found] = await sql<{ publishing: PublishStep[] | null }[]>`select metadata->'publishing' as publishing from videos where id = ${videoId}`;
  return found?.publishing ?? [];
}

const variantsOf = (master: string) => master.split("\n").filter((line) => line.startsWith("#EXT-X-STREAM-INF:"));
const firstPts = (probe: Awaited<ReturnType<typeof probeStreams>>) => Number(probe.packets.find((packet) => packet.pts_time !== undefined)?.pts_time);

/** A source that needs encoding: HEVC when this ffmpeg has libx265 (both builds we test with do), else VP9. */
async function makeEncodedOnlyFixture(target: string) {
  const encoders = await runFfprobe({ binary: ffmpeg, args: ["-hide_banner", "-encoders"] });
  const hevc = encoders.includes("libx265");
  await runFfmpeg({
    binary: ffmpeg,
    args: [
      "-y",
      ...["-f", "lavfi", "-i", "testsrc=duration=3:size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:duration=3"],
      ...(hevc ? ["-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1"] : ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"]),
      ...["-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", target],
    ],
    timeoutMs: 300_000,
    stallMs: 60_000,
  });
  return { path: target, codec: hevc ? "hevc" : "vp9" };
}

let worker: WorkerProcess | undefined;

beforeAll(async () => {
  await mkdir(work.PROCESSING_TEMP_DIR, { recursive: true });
});

afterAll(async () => {
  await worker?.stop();
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("progressive publishing", () => {
  it(
    "an H.264/AAC upload is playable on its source remuxed into CMAF before the ladder is encoded, then ready with the full ladder",
    { timeout: 180_000 },
    async () => {
      worker = spawnWorker(work);
      const source = await makeVideoFixture({ path: file("lecture.mp4"), seconds: 6, width: 1280, height: 720 });
      const videoId = await uploadFile(source, "Remuxed first");
      const ready = await waitUntilProcessed(sql, videoId, 150_000);
      expect(ready, worker.output()).toMatchObject({ status: "ready", processing_error: null });

      // Each publishing write, recorded: first the passthrough rendition alone (playable), then the whole ladder.
      const steps = await publishing(videoId);
      expect(steps.map(({ status, renditions }) => ({ status, renditions }))).toEqual([
        { status: "playable", renditions: ["720p"] },
        { status: "ready", renditions: ["720p", "480p", "360p"] },
      ]);
      expect(new Set(steps.map((step) => step.revision)).size).toBe(1);
      expect(Date.parse(steps[0]?.at ?? "")).toBeLessThanOrEqual(Date.parse(steps[1]?.at ?? ""));

      const master = await mediaText(videoId, "hls/master.m3u8");
      expect(master).toMatch(/^#EXTM3U\n#EXT-X-VERSION:7\n/);
      expect(master).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"');
      expect(variantsOf(master).map((line) => /RESOLUTION=(\d+x\d+)/.exec(line)?.[1])).toEqual(["1280x720", "854x480", "640x360"]);

      // The passthrough rendition is the source's H.264 as it is (packets copied, not re-encoded), as fMP4.
      const passthrough = await fetchCmafRendition({ videoId, rendition: "720p", scratch: file("720p-first.mp4") });
      expect(passthrough.playlist).toMatch(/#EXT-X-MAP:URI="[^"]*\/init\.mp4\?[^"]*X-Amz-Signature=/); // the init segment, presigned like the segments
      expect(passthrough.boxes).toEqual({ init: "ftyp", segment: "styp" });
      const remuxed = await probeStreams(passthrough.firstFile);
      expect(remuxed.format.format_name).toContain("mp4");
      expect(remuxed.streams.map((stream) => [stream.codec_type, stream.codec_name, stream.width, stream.height])).toEqual([["video", "h264", 1280, 720]]);
      const original = await probeStreams(source);
      const sizes = (probe: typeof original, type: string) => {
        const index = probe.streams.findIndex((stream) => stream.codec_type === type);
        return probe.packets.filter((packet) => packet.stream_index === index).map((packet) => packet.size);
      };
      const compared = Math.min(sizes(remuxed, "video").length, sizes(original, "video").length);
      expect(compared).toBeGreaterThanOrEqual(2);
      expect(sizes(remuxed, "video").slice(0, compared)).toEqual(sizes(original, "video").slice(0, compared));
      // Its CODECS are the source's real profile and level (read from its init segment).
      expect(variantsOf(master)[0]).toContain(`CODECS="avc1.64001f,mp4a.40.2"`);

      // Encoded renditions and the audio rendition: CMAF too, video only / audio only, on one timeline with the passthrough.
      const encoded = await probeStreams((await fetchCmafRendition({ videoId, rendition: "360p", scratch: file("360p-first.mp4") })).firstFile);
      expect(encoded.streams.map((stream) => [stream.codec_type, stream.codec_name, stream.width])).toEqual([["video", "h264", 640]]);
      expect(firstPts(encoded)).toBeCloseTo(firstPts(remuxed), 3);
      const audio = await fetchCmafRendition({ videoId, rendition: "audio", scratch: file("audio-first.mp4") });
      expect((await probeStreams(audio.firstFile)).streams.map((stream) => [stream.codec_type, stream.codec_name])).toEqual([["audio", "aac"]]);
    },
  );

  it(`a source that needs encoding (HEVC, or VP9) is playable at 360p first, then ready with the full ladder`, { timeout: 180_000 }, async () => {
    worker ??= spawnWorker(work);
    const { path: source } = await makeEncodedOnlyFixture(file("hevc.mp4"));
    const videoId = await uploadFile(source, "Smallest rung first");
    const ready = await waitUntilProcessed(sql, videoId, 150_000);
    expect(ready, worker.output()).toMatchObject({ status: "ready", processing_error: null });
    expect((await publishing(videoId)).map(({ status, renditions }) => ({ status, renditions }))).toEqual([
      { status: "playable", renditions: ["360p"] },
      { status: "ready", renditions: ["360p", "720p", "480p"] },
    ]);
    const master = await mediaText(videoId, "hls/master.m3u8");
    expect(variantsOf(master).map((line) => /RESOLUTION=(\d+x\d+)/.exec(line)?.[1])).toEqual(["1280x720", "854x480", "640x360"]);
    const first = await probeStreams((await fetchCmafRendition({ videoId, rendition: "360p", scratch: file("hevc-360p.mp4") })).firstFile);
    expect(first.streams.map((stream) => [stream.codec_name, stream.width, stream.height])).toEqual([["h264", 640, 360]]);
    const top = await probeStreams((await fetchCmafRendition({ videoId, rendition: "720p", scratch: file("hevc-720p.mp4") })).firstFile);
    expect(firstPts(top)).toBeCloseTo(firstPts(first), 3);
  });

  it(
    "a ladder that fails after the first rendition is published leaves the video playable on it, through every retry and after the last",
    { timeout: 180_000 },
    async () => {
      await worker?.stop();
      // The real ffmpeg, except this video's ladder run (the one that writes the storyboard's frames, in the video's
      // work dir), which fails as a damaged file would. Other test files' jobs this worker may take are processed as usual.
      const wrapper = file("ffmpeg-ladder-fails.sh");
      const target = file("ffmpeg-ladder-fails.video");
      await writeFile(target, "none");
      await writeFile(
        wrapper,
        `#!/bin/sh\ncase "$*" in *"lectern-$(cat "${target}")-"*storyboard-frames*) echo "Error while decoding stream #0:0" >&2; exit 1;; esac\nexec "${ffmpeg}" "$@"\n`,
      );
      await chmod(wrapper, 0o755);
      worker = spawnWorker({ ...work, FFMPEG_PATH: wrapper, FFPROBE_PATH: ffprobe });
      const source = await makeVideoFixture({ path: file("short.mp4"), seconds: 2, width: 640, height: 360 });
      const videoId = await uploadFile(source, "Ladder fails");
      await writeFile(target, videoId);
      const watched: string[] = [];
      const done = await waitForProcessing(
        sql,
        videoId,
        (current) => {
          watched.push(current.status);
          return current.processing_stage === null && current.status !== "uploaded";
        },
        150_000,
      );
      expect(done, worker.output()).toMatchObject({ status: "playable", processing_attempt: 3 });
      expect(done.processing_error).toMatch(/damaged/);
      // Never failed nor back to processing once playable.
      expect(watched.slice(watched.indexOf("playable"))).not.toContain("processing");
      expect(watched).not.toContain("failed");
      const master = await mediaText(videoId, "hls/master.m3u8");
      expect(variantsOf(master)).toHaveLength(1);
      const playing = await probeStreams((await fetchCmafRendition({ videoId, rendition: "360p", scratch: file("kept.mp4") })).firstFile);
      expect(playing.streams[0]?.codec_name).toBe("h264");
      await worker.stop();
      worker = undefined;
    },
  );
});
