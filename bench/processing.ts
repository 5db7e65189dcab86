/**
 * `npm run bench:processing`: how fast a video becomes playable and ready, and what our pipeline costs on top of
 * ffmpeg. Three fixtures (issue 14): a 60 s 1920x1080 30 fps H.264/AAC test pattern, a 10-minute 1080p lecture-like
 * H.264/AAC video (slides, a pointer, a talking-head inset, a voice; tests/helpers/lecture-fixture.ts, cached under
 * .data/fixtures) and the same lecture in a codec browsers do not all play (HEVC where ffmpeg has libx265), which
 * must be encoded before anything plays. Each is uploaded the real way (init → PUT to presigned part URLs →
 * complete) to a fresh test database and a fresh local store, then processVideo runs the whole pipeline on it
 * (download, probe, poster, the first rendition — the source remuxed, or the smallest rung encoded first — published
 * as `playable`, then the rest of the ladder, storyboard, upload, `ready`). The same probe and ffmpeg commands are
 * then run by hand on the local file (built by lib/processing/commands.ts and the same passthrough decision, so
 * they cannot drift apart).
 *
 * Printed per fixture: seconds from complete to first playable and to ready, each also as a share of the video's
 * duration, against the issue's goals (playable within 10 s for H.264/AAC sources, within 0.25× the duration for
 * sources that need encoding), and the overhead against the hand run, up to playable and up to ready. Complete is
 * when completeUpload returns; processVideo starts right after it (the worker's queue pickup, polled every
 * second, is not part of the figures).
 *
 * `--fixtures 60s,lecture,lecture-hevc` runs some only; `--quick` is a short run (a 20 s pattern and 60 s lectures,
 * one run, no hand run for the lectures); `--lecture-seconds S` changes the lectures' length, `--encoding-seconds S` the needs-encoding one's alone (HEVC
 * takes long to make on 2 cores: about 0.5× real time on an idle machine); `--seconds N` and
 * `--height H` (16:9) change the test pattern; `--runs N` alternates N pipeline and N hand runs and reports the
 * medians (timings on a small or shared machine vary a lot from run to run); `--hand playable` runs them up to the first rendition only, `--hand none` not at all;
 * `--preset P` / `--first-preset P` set the ladder's and the first rung's x264 presets on both sides.
 *
 * The app's modules read the environment once, when first imported, so the upload and processVideo run in a child
 * process started with DATABASE_URL and STORAGE_* pointing at the fresh services (as Vitest's global setup and
 * setup file do). Its peak RSS is the pipeline's own: the store and the database live in this process and theirs.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type PgBoss from "pg-boss";
import { z } from "zod";
import { DATA_DIR, openTestDatabase } from "@/dev/database";
import { startLocalStorage } from "@/dev/local-storage";
import { prepareDatabase } from "@/dev/prepare-database";
import { type AudioPlan, ladderArgs, posterArgs, remuxArgs, storyboardArgs } from "@/lib/processing/commands";
import { runFfmpeg } from "@/lib/processing/ffmpeg";
import { planLadder, type Rendition } from "@/lib/processing/ladder";
import { copiesAudio, passthroughRefusal, passthroughRendition, rungsBelow } from "@/lib/processing/passthrough";
import { type Probe, probeVideo } from "@/lib/processing/probe";
import { planStoryboard } from "@/lib/processing/storyboard";
import { FIRST_RUNG_PRESET } from "@/lib/processing/transcode";
import { AUDIO_RENDITION } from "@/lib/videos/media-paths";
import { cachedFixture, makeLectureFixture, makeNeedsEncodingLectureFixture } from "@/tests/helpers/lecture-fixture";
import { makeVideoFixture } from "@/tests/helpers/video-fixtures";
import { binaries, childrenCpuSeconds, machineCpuSeconds, machineLine, median, MiB, otherLoad, ownCpuSeconds, since } from "./measure";

const STALL_MS = 120_000;
const RESULT_PREFIX = "BENCH_RESULT ";
const STAGE_POLL_MS = 250;
/** The issue's goals for first playable: seconds after complete for sources served as they are, a share of the duration for the others. */
const PASSTHROUGH_GOAL_SECONDS = 10;
const ENCODING_GOAL_SHARE = 0.25;
const FIXTURES = ["60s", "lecture", "lecture-hevc", "limit"] as const;
/** The app's default MAX_UPLOAD_BYTES (lib/env.ts): the largest source a user can upload. */
const UPLOAD_LIMIT_BYTES = Number(process.env.MAX_UPLOAD_BYTES ?? 2 * 1024 ** 3);
type FixtureName = (typeof FIXTURES)[number];

/** What the pipeline child reports back (one JSON line on stdout). */
type PipelineResult = {
  fileBytes: number;
  partCount: number;
  uploadSeconds: number;
  pipelineSeconds: number;
  /** From completeUpload's return to the publishing writes (metadata.publishing), else to the status polled. */
  playableSeconds: number | null;
  readySeconds: number | null;
  /** The renditions the first publishing listed. */
  firstRenditions: string[];
  status: string;
  renditions: string[];
  outputObjects: number;
  /** process.resourceUsage().maxRSS (KiB) after the upload, before processVideo, and at the end. */
  maxRssBeforeKiB: number;
  maxRssKiB: number;
  /** CPU seconds of ffprobe and ffmpeg, and of the pipeline process itself, during processVideo. */
  ffmpegCpuSeconds: number;
  nodeCpuSeconds: number;
  /** CPU seconds other processes (the store, PostgreSQL, anything else on the machine) used meanwhile, and steal. */
  otherCpuSeconds: number;
  stealSeconds: number;
  /** Time in each processing stage, as polled from the database. */
  stages: { stage: string; seconds: number }[];
};

type HandResult = {
  probe: Probe;
  first: { kind: "passthrough" | "smallest-rung"; rendition: string };
  renditions: string[];
  probeSeconds: number;
  posterSeconds: number;
  firstSeconds: number;
  ladderSeconds: number;
  tileSeconds: number;
  /** Probe + poster + first rendition: what the pipeline runs before it publishes `playable`. */
  playableSeconds: number;
  seconds: number;
  ffmpegCpuSeconds: number;
  otherCpuSeconds: number;
  stealSeconds: number;
  outputFiles: number;
  /** `--hand playable`: stopped after the first rendition (the rest of the ladder's figures are NaN). */
  upToPlayable: boolean;
};

type Presets = { preset?: string; firstPreset?: string };

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    height: { type: "string", default: "1080" },
    runs: { type: "string", default: "1" },
    fixtures: { type: "string", default: FIXTURES.join(",") },
    "lecture-seconds": { type: "string", default: "600" },
    "encoding-seconds": { type: "string" },
    hand: { type: "string", default: "all" },
    quick: { type: "boolean", default: false },
    preset: { type: "string" },
    "first-preset": { type: "string" },
    pipeline: { type: "string" },
    "up-to-playable": { type: "boolean", default: false },
  },
});

/** `passthrough`: the probe says the source can be served as it is (the first rendition is a remux, the 10 s goal applies). */
type FixtureReport = { name: FixtureName; label: string; generation: string; probe: Probe; passthrough: boolean; pipelines: PipelineResult[]; hands: HandResult[] };

/** The orchestrator: services, fixtures, the pipeline child and the hand run per fixture, the tables. */
async function main() {
  const quick = values.quick;
  const seconds = quick ? 20 : Number(values.seconds);
  const height = even(Number(values.height));
  const runs = quick ? 1 : Number(values.runs);
  const lectureSeconds = quick ? 60 : Number(values["lecture-seconds"]);
  const encodingSeconds = quick ? 60 : Number(values["encoding-seconds"] ?? lectureSeconds);
  const fixtures = (values.fixtures ?? "").split(",").filter(Boolean);
  const unknown = fixtures.filter((name) => !(FIXTURES as readonly string[]).includes(name));
  if (!(seconds > 0) || !(height >= 2) || !Number.isInteger(runs) || runs < 1 || !(lectureSeconds > 0) || !(encodingSeconds > 0) || unknown.length > 0 || fixtures.length === 0) {
    throw new Error(`--seconds, --height and --lecture-seconds must be positive numbers, --runs a positive integer, --fixtures some of ${FIXTURES.join(", ")}`);
  }
  const handMode = values.hand;
  if (handMode !== "all" && handMode !== "playable" && handMode !== "none") throw new Error("--hand is all, playable or none");
  const presets: Presets = { preset: values.preset, firstPreset: values["first-preset"] };
  const width = even((height * 16) / 9);

  const work = await fs.mkdtemp(path.join(os.tmpdir(), "lectern-bench-processing-"));
  const storeDir = path.join(DATA_DIR, `bench-s3-${process.pid}`);
  const database = await openTestDatabase();
  let store: Awaited<ReturnType<typeof startLocalStorage>>["store"] | undefined;
  const reports: FixtureReport[] = [];
  try {
    await prepareDatabase({ url: database.url, alwaysSeed: true });
    const storage = await startLocalStorage({ dataDir: storeDir, port: 0, adminPort: 0, appOrigins: ["http://localhost:3000"], fresh: true });
    store = storage.store;

    for (const name of fixtures as FixtureName[]) {
      const generationStarted = performance.now();
      let fixture: string;
      let label: string;
      let generated = true;
      if (name === "60s") {
        label = `${seconds} s ${width}x${height} test pattern (H.264/AAC)`;
        console.log(`the ${label} (cached under .data/fixtures)…`);
        ({ path: fixture, generated } = await cachedFixture({
          name: `pattern-${seconds}s-${width}x${height}`,
          key: { seconds, width, height },
          make: async (output) => {
            await makeVideoFixture({ path: output, seconds, width, height, timeoutMs: Math.round(600_000 + seconds * 10_000) });
          },
        }));
      } else if (name === "lecture") {
        label = `${lectureSeconds} s 1920x1080 lecture (H.264/AAC)`;
        console.log(`the ${label} (cached under .data/fixtures)…`);
        ({ path: fixture, generated } = await makeLectureFixture({ seconds: lectureSeconds }));
      } else if (name === "limit") {
        // The lecture looped by stream copy (no encoding) to just under the upload limit, its index at the end as a
        // camera writes it: how long the first playable takes when the source is as large as users may upload.
        const lecture = await makeLectureFixture({ seconds: lectureSeconds });
        const { size } = await fs.stat(lecture.path);
        const loops = Math.max(1, Math.floor((UPLOAD_LIMIT_BYTES * 0.99) / size));
        ({ path: fixture, generated } = await cachedFixture({
          name: `lecture-${lectureSeconds}s-looped-${loops}`,
          key: { lecture: path.basename(lecture.path), loops },
          make: async (output) => {
            const list = `${output}.txt`;
            await fs.writeFile(list, Array.from({ length: loops }, () => `file '${lecture.path.replace(/'/g, "'\\''")}'\n`).join(""));
            try {
              await runFfmpeg({ binary: binaries().ffmpeg, args: ["-y", "-v", "error", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", "-f", "mp4", output], timeoutMs: 3_600_000, stallMs: STALL_MS });
            } finally {
              await fs.rm(list, { force: true });
            }
          },
        }));
        label = `${lectureSeconds} s lecture looped ${loops}× to the ${(UPLOAD_LIMIT_BYTES / MiB).toFixed(0)} MiB upload limit (H.264/AAC, up to playable only)`;
        console.log(`the ${label} (cached under .data/fixtures)…`);
      } else {
        const made = await makeNeedsEncodingLectureFixture({ seconds: encodingSeconds });
        ({ path: fixture, generated } = made);
        label = `${encodingSeconds} s 1920x1080 lecture (${made.codec}/AAC, needs encoding)`;
        console.log(`the ${label} (cached under .data/fixtures)…`);
      }
      const generation = generated ? `generated in ${since(generationStarted).toFixed(0)} s` : "cached";

      // Interleaved, so a noisy neighbour or a CPU slowing down weighs on both sides alike.
      const pipelines: PipelineResult[] = [];
      const hands: HandResult[] = [];
      const hand = handMode !== "none" && !(quick && name !== "60s");
      // Encoding the ladder of hours of video says nothing new: the source at the limit is processed up to playable.
      const upToPlayable = name === "limit";
      for (let run = 1; run <= runs; run++) {
        const prefix = `${name}${runs > 1 ? ` run ${run}/${runs}` : ""}: `;
        console.log(`${prefix}the pipeline (upload, then processVideo)…`);
        pipelines.push(await runPipelineChild({ fixture, presets, upToPlayable, env: { ...storage.env, DATABASE_URL: database.url } }));
        if (hand) {
          console.log(`${prefix}the same probe and ffmpeg commands by hand…`);
          hands.push(await runByHand({ fixture, tempDir: work, presets, upToPlayable: upToPlayable || handMode === "playable" }));
        }
      }
      const probe = await probeVideo({ ffprobe: binaries().ffprobe, path: fixture });
      const report = { name, label, generation, probe, passthrough: passthroughRefusal(probe) === null, pipelines, hands };
      reports.push(report);
      printFixture(report);
    }
    printSummary(reports, runs);
  } finally {
    await store?.close();
    await fs.rm(storeDir, { recursive: true, force: true });
    await database.close();
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Runs this file again with `--pipeline <fixture>` and the services' environment; resolves with its report. */
function runPipelineChild({ fixture, presets, upToPlayable, env }: { fixture: string; presets: Presets; upToPlayable: boolean; env: Record<string, string> }): Promise<PipelineResult> {
  const self = fileURLToPath(import.meta.url);
  const presetArgs = [...(presets.preset ? ["--preset", presets.preset] : []), ...(presets.firstPreset ? ["--first-preset", presets.firstPreset] : [])];
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", self, "--pipeline", fixture, ...presetArgs, ...(upToPlayable ? ["--up-to-playable"] : [])], {
    // A CDN URL from the shell would only change the URLs recorded; keep the run self-contained.
    env: { ...process.env, ...env, STORAGE_PUBLIC_URL: undefined },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let result: PipelineResult | undefined;
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as PipelineResult;
      else console.log(`  [pipeline] ${line}`);
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`the pipeline process exited with ${code}${result ? "" : " without a result"}`));
    });
  });
}

/**
 * What transcode() runs, in its order, on the local file: probe, poster, the first rendition (the source remuxed when
 * passthroughRefusal lets it, else the smallest rung at the first rung's preset, with the audio rendition), the rest
 * of the ladder with the storyboard's frames, the storyboard tiling.
 */
async function runByHand({ fixture, tempDir, presets, upToPlayable }: { fixture: string; tempDir: string; presets: Presets; upToPlayable: boolean }): Promise<HandResult> {
  const { ffmpeg, ffprobe } = binaries();
  const work = await fs.mkdtemp(path.join(tempDir, "hand-"));
  const out = path.join(work, "out");
  const framesDir = path.join(work, "storyboard-frames");
  const prepare = async (names: string[]) => {
    for (const name of names) await fs.mkdir(path.join(out, "hls", name), { recursive: true });
  };
  try {
    const cpuBefore = await childrenCpuSeconds();
    const machineBefore = await machineCpuSeconds();
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    const probe = await probeVideo({ ffprobe, path: fixture });
    const probeSeconds = since(started);
    const ladder = planLadder(probe);
    const hasAudio = probe.audio !== null;
    await fs.mkdir(framesDir);
    await fs.mkdir(path.join(out, "hls"), { recursive: true });
    const limits = { timeoutMs: 120_000 + probe.durationSeconds * 10_000, stallMs: STALL_MS };

    const posterStarted = performance.now();
    await runFfmpeg({ binary: ffmpeg, args: posterArgs({ input: fixture, output: path.join(out, "poster.jpg"), probe }), ...limits });
    const posterSeconds = since(posterStarted);

    const firstStarted = performance.now();
    let first: { kind: HandResult["first"]["kind"]; rendition: Rendition };
    let rest: Rendition[];
    if (passthroughRefusal(probe) === null) {
      const rendition = passthroughRendition(probe);
      const audio: AudioPlan = !hasAudio ? { mode: "none" } : copiesAudio(probe) ? { mode: "copy" } : { mode: "encode", bitrate: ladder[0]?.audioBitrate ?? 128_000 };
      await prepare([rendition.name, ...(hasAudio ? [AUDIO_RENDITION] : [])]);
      await runFfmpeg({ binary: ffmpeg, args: remuxArgs({ input: fixture, demuxer: probe.demuxer, outputDir: out, rendition, audio }), ...limits });
      first = { kind: "passthrough", rendition };
      rest = rungsBelow(ladder, rendition);
    } else {
      const smallest = ladder.at(-1);
      if (!smallest) throw new Error("no rendition planned");
      await prepare([smallest.name, ...(hasAudio ? [AUDIO_RENDITION] : [])]);
      await runFfmpeg({
        binary: ffmpeg,
        args: ladderArgs({ input: fixture, demuxer: probe.demuxer, outputDir: out, renditions: [smallest], hasAudio, fps: probe.fps, preset: presets.firstPreset ?? FIRST_RUNG_PRESET }),
        ...limits,
      });
      first = { kind: "smallest-rung", rendition: smallest };
      rest = ladder.slice(0, -1);
    }
    const firstSeconds = since(firstStarted);
    const playableSeconds = since(started);
    if (upToPlayable) {
      const ffmpegCpuSeconds = (await childrenCpuSeconds()) - cpuBefore;
      const other = await otherLoad(machineBefore, ffmpegCpuSeconds + ownCpuSeconds(ownBefore));
      const outputFiles = (await fs.readdir(out, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
      const skipped = Number.NaN;
      const renditions = [first.rendition.name];
      return { probe, first: { kind: first.kind, rendition: first.rendition.name }, renditions, probeSeconds, posterSeconds, firstSeconds, ladderSeconds: skipped, tileSeconds: skipped, playableSeconds, seconds: skipped, ffmpegCpuSeconds, ...other, outputFiles, upToPlayable: true };
    }

    const ladderStarted = performance.now();
    const plannedStoryboard = planStoryboard(probe);
    await prepare(rest.map((rendition) => rendition.name));
    await runFfmpeg({
      binary: ffmpeg,
      args: ladderArgs({
        input: fixture,
        demuxer: probe.demuxer,
        outputDir: out,
        framesDir,
        renditions: rest,
        hasAudio,
        audio: { mode: "none" },
        fps: probe.fps,
        storyboard: plannedStoryboard,
        preset: presets.preset,
      }),
      ...limits,
    });
    const ladderSeconds = since(ladderStarted);
    const tileStarted = performance.now();
    const storyboard = planStoryboard({ ...probe, frames: (await fs.readdir(framesDir)).length, interval: plannedStoryboard.interval });
    await runFfmpeg({
      binary: ffmpeg,
      args: storyboardArgs({ framesDir, count: storyboard.count, columns: storyboard.columns, output: path.join(out, "storyboard.jpg") }),
      ...limits,
    });
    const tileSeconds = since(tileStarted);
    const seconds = since(started);
    const ffmpegCpuSeconds = (await childrenCpuSeconds()) - cpuBefore;
    const other = await otherLoad(machineBefore, ffmpegCpuSeconds + ownCpuSeconds(ownBefore));
    const outputFiles = (await fs.readdir(out, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
    return {
      probe,
      first: { kind: first.kind, rendition: first.rendition.name },
      renditions: [first.rendition, ...rest].map((rendition) => rendition.name),
      probeSeconds,
      posterSeconds,
      firstSeconds,
      ladderSeconds,
      tileSeconds,
      playableSeconds,
      seconds,
      ffmpegCpuSeconds,
      ...other,
      outputFiles,
      upToPlayable: false,
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** The publishing steps processVideo records in the video's metadata (lib/videos/processing-state.ts). */
const publishingSchema = z.array(z.object({ status: z.string(), renditions: z.array(z.string()), at: z.string() })).catch([]);

/**
 * The child: the environment already points at the fresh services, so the
 * app's modules are imported now. Uploads the fixture part by part (one
 * part-sized buffer, never the whole file), completes, then times processVideo.
 */
async function pipelineChild(fixture: string) {
  const { SEED } = await import("@/dev/seed");
  const { initUpload, signParts, completeUpload } = await import("@/lib/videos/uploads");
  const { processVideo } = await import("@/lib/processing/process-video");
  const { storage, videoPrefix } = await import("@/lib/storage");
  const { selectVideo } = await import("@/db/queries/videos");
  const { isWatchable } = await import("@/lib/videos/status");
  const { closeDatabase } = await import("@/db");

  const actor = { id: SEED.users.instructor.id };
  const courseId = SEED.courses.trading.id;
  const { size } = await fs.stat(fixture);

  const uploadStarted = performance.now();
  const init = await initUpload({
    actor,
    input: { courseId, filename: path.basename(fixture), fileSize: size, contentType: "video/mp4", metadata: { title: "Processing benchmark" } },
  });
  const urls = new Map(init.parts.map((part) => [part.partNumber, part.url]));
  const unsigned = Array.from({ length: init.partCount }, (_, index) => index + 1).filter((partNumber) => !urls.has(partNumber));
  for (let start = 0; start < unsigned.length; start += 100) {
    const signed = await signParts({ actor, videoId: init.videoId, partNumbers: unsigned.slice(start, start + 100) });
    for (const part of signed.parts) urls.set(part.partNumber, part.url);
  }
  const parts: { partNumber: number; etag: string }[] = [];
  const file = await fs.open(fixture);
  try {
    const buffer = Buffer.alloc(init.partSize);
    for (let partNumber = 1; partNumber <= init.partCount; partNumber++) {
      const offset = (partNumber - 1) * init.partSize;
      const length = Math.min(init.partSize, size - offset);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      if (bytesRead !== length) throw new Error(`part ${partNumber}: read ${bytesRead} of ${length} bytes`);
      const url = urls.get(partNumber);
      if (!url) throw new Error(`part ${partNumber} has no URL`);
      const response = await fetch(url, { method: "PUT", body: buffer.subarray(0, length) });
      if (!response.ok) throw new Error(`part ${partNumber}: HTTP ${response.status} ${await response.text()}`);
      parts.push({ partNumber, etag: response.headers.get("etag") ?? "" });
    }
  } finally {
    await file.close();
  }
  const completed = await completeUpload({ actor, videoId: init.videoId, parts });
  if (completed.status !== "uploaded") throw new Error(`the upload completed as ${completed.status}`);
  const completedAt = Date.now();
  const uploadSeconds = since(uploadStarted);

  const maxRssBeforeKiB = process.resourceUsage().maxRSS;
  const context = { binaries: binaries(), storage, tempDir: os.tmpdir(), stallMs: STALL_MS, preset: values.preset, firstPreset: values["first-preset"] };
  const childrenCpuBefore = await childrenCpuSeconds();
  const nodeCpuBefore = process.cpuUsage();
  const machineBefore = await machineCpuSeconds();
  const started = performance.now();
  // Where the time goes: the stage processVideo records, polled from the database (stages shorter than the poll may not show).
  const stages: { stage: string; at: number }[] = [];
  let watchableAt: number | undefined;
  let polling = true;
  // `--up-to-playable`: the run is stopped once the video is playable (as a worker shutting down would stop it).
  const stop = new AbortController();
  const poller = (async () => {
    while (polling) {
      const current = await selectVideo({ videoId: init.videoId });
      if (current && watchableAt === undefined && isWatchable(current.status)) {
        watchableAt = Date.now();
        if (values["up-to-playable"]) stop.abort();
      }
      const stage = current ? `${current.status}${current.processingStage ? `/${current.processingStage}` : ""}` : "missing";
      if (stage !== stages.at(-1)?.stage) stages.push({ stage, at: since(started) });
      await new Promise((resolve) => setTimeout(resolve, STAGE_POLL_MS));
    }
  })();
  const processed = await processVideo({ context, videoId: init.videoId, jobId: randomUUID(), attempt: 1, signal: stop.signal })
    .catch((error: unknown) => {
      if (stop.signal.aborted) return true;
      throw error;
    })
    .finally(() => (polling = false));
  const pipelineSeconds = since(started);
  const endedAt = Date.now();
  const nodeCpuSeconds = ownCpuSeconds(nodeCpuBefore);
  const ffmpegCpuSeconds = (await childrenCpuSeconds()) - childrenCpuBefore;
  const other = await otherLoad(machineBefore, ffmpegCpuSeconds + nodeCpuSeconds);
  await poller;
  const maxRssKiB = process.resourceUsage().maxRSS;
  if (!processed) throw new Error("processVideo did not claim the video");

  const video = await selectVideo({ videoId: init.videoId });
  const keys = await storage.listKeys({ prefix: videoPrefix({ courseId, videoId: init.videoId }) });
  // The publishing writes' own timestamps where processVideo records them; else the polled status (±250 ms).
  const publishing = publishingSchema.parse(video?.metadata.publishing);
  const firstStep = publishing[0];
  const readyStep = publishing.find((step) => step.status === "ready");
  const after = (at: number | undefined) => (at === undefined ? null : (at - completedAt) / 1000);
  const result: PipelineResult = {
    fileBytes: size,
    partCount: init.partCount,
    uploadSeconds,
    pipelineSeconds,
    playableSeconds: after(firstStep ? Date.parse(firstStep.at) : watchableAt),
    readySeconds: video?.status === "ready" ? after(readyStep ? Date.parse(readyStep.at) : endedAt) : null,
    firstRenditions: firstStep?.renditions ?? [],
    status: video?.status ?? "missing",
    renditions: (video?.transcodedVersions ?? []).map((version) => version.name),
    outputObjects: keys.filter((key) => key !== init.storageKey).length,
    maxRssBeforeKiB,
    maxRssKiB,
    ffmpegCpuSeconds,
    nodeCpuSeconds,
    ...other,
    stages: stages
      .filter(({ stage }) => stage !== "uploaded")
      .map(({ stage, at }, index, all) => ({ stage, seconds: (all[index + 1]?.at ?? pipelineSeconds) - at })),
  };
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);

  // completeUpload started the app's pg-boss sender; its job stays queued (no worker here) and is dropped with the database.
  const boss = (globalThis as { lecternBoss?: Promise<PgBoss> }).lecternBoss;
  await boss?.then((sender) => sender.stop({ graceful: false, wait: true }));
  storage.destroy();
  await closeDatabase();
}

const s = (value: number) => `${value.toFixed(2)} s`;
const share = (seconds: number, duration: number) => `${(seconds / duration).toFixed(3)}×`;
const spread = (values: number[]) => (values.length > 1 ? ` (median of ${values.length}; all: ${values.map((value) => value.toFixed(2)).join(", ")} s)` : "");
const nullable = (value: number | null) => value ?? Number.NaN;

/** The first playable goal for this source: 10 s when its first rendition is the source remuxed, 0.25× the duration when it must be encoded. */
function goal({ passthrough, duration }: { passthrough: boolean; duration: number }) {
  return passthrough
    ? { seconds: PASSTHROUGH_GOAL_SECONDS, text: `≤ ${PASSTHROUGH_GOAL_SECONDS} s (H.264/AAC)` }
    : { seconds: ENCODING_GOAL_SHARE * duration, text: `≤ ${ENCODING_GOAL_SHARE}× duration = ${s(ENCODING_GOAL_SHARE * duration)} (needs encoding)` };
}

function printFixture({ label, generation, probe, passthrough, pipelines, hands }: FixtureReport) {
  const pipeline = median(pipelines, (run) => nullable(run.playableSeconds));
  const ready = median(pipelines, (run) => nullable(run.readySeconds));
  const hand = hands.length > 0 ? median(hands, (run) => nullable(run.seconds)) : undefined;
  const handPlayable = hands.length > 0 ? median(hands, (run) => run.playableSeconds) : undefined;
  const total = median(pipelines, (run) => run.pipelineSeconds);
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  const duration = probe.durationSeconds;
  const playable = nullable(pipeline.playableSeconds);
  const readySeconds = nullable(ready.readySeconds);
  const target = goal({ passthrough, duration });
  const rows: [string, string][] = [
    ["fixture", `${label}, ${probe.width}x${probe.height} ${probe.fps ?? "?"} fps ${probe.videoCodec}/${probe.audioCodec ?? "no audio"}, ${(pipeline.fileBytes / MiB).toFixed(1)} MiB (${pipeline.partCount} upload part(s))`],
    ["duration", s(duration)],
    ["first rendition", `${pipeline.firstRenditions.join(", ") || "none recorded"}${hand ? ` (by hand: ${hand.first.kind} ${hand.first.rendition})` : ""}`],
    [
      "complete → first playable",
      `${s(playable)} (${share(playable, duration)} duration); goal ${target.text}: ${playable <= target.seconds ? "met" : "missed"}${spread(pipelines.map((run) => nullable(run.playableSeconds)))}`,
    ],
    ["complete → ready", `${s(readySeconds)} (${share(readySeconds, duration)} duration)${spread(pipelines.map((run) => nullable(run.readySeconds)))}`],
    ["renditions", `${pipeline.renditions.join(", ")} + poster, storyboard (${pipeline.outputObjects} objects stored${hand ? `; ${hand.outputFiles} files by hand, no master playlist or VTT` : ""})`],
    ["pipeline wall time (processVideo)", `${s(total.pipelineSeconds)}${spread(pipelines.map((run) => run.pipelineSeconds))}; ${(duration / total.pipelineSeconds).toFixed(2)}× real time`],
    ["pipeline stages (polled)", total.stages.map(({ stage, seconds }) => `${stage} ${s(seconds)}`).join(", ")],
  ];
  if (hand && handPlayable) {
    rows.push(
      [
        "ffmpeg by hand (probe, poster, first rendition, rest of the ladder, storyboard tiling)",
        hand.upToPlayable
          ? `probe ${s(hand.probeSeconds)}, poster ${s(hand.posterSeconds)}, first ${s(hand.firstSeconds)}; the rest not run (--hand playable)`
          : `${s(hand.seconds)}: probe ${s(hand.probeSeconds)}, poster ${s(hand.posterSeconds)}, first ${s(hand.firstSeconds)}, ladder ${s(hand.ladderSeconds)}, tiling ${s(hand.tileSeconds)}${spread(hands.map((run) => run.seconds))}`,
      ],
      ["by hand up to playable (probe, poster, first rendition)", `${s(handPlayable.playableSeconds)}${spread(hands.map((run) => run.playableSeconds))}`],
      ["overhead up to playable (pipeline − by hand)", `${s(playable - handPlayable.playableSeconds)} (the source's download from the store, the first rendition's upload, the database writes)`],
      ["overhead up to ready (pipeline ÷ by hand)", hand.upToPlayable ? "– (--hand playable)" : `${(readySeconds / hand.seconds).toFixed(3)} (${readySeconds - hand.seconds >= 0 ? "+" : "−"}${s(Math.abs(readySeconds - hand.seconds))})`],
      ["CPU time of ffprobe + ffmpeg", `pipeline ${s(total.ffmpegCpuSeconds)}, by hand ${s(hand.ffmpegCpuSeconds)}; the pipeline process itself ${s(total.nodeCpuSeconds)}`],
      [
        "other CPU use meanwhile (store, PostgreSQL, other helpers' jobs)",
        `pipeline ${s(total.otherCpuSeconds)}, by hand ${s(hand.otherCpuSeconds)}; steal ${s(total.stealSeconds)}, ${s(hand.stealSeconds)} (a clean run is near 0)`,
      ],
    );
  } else {
    rows.push(
      ["CPU time of ffprobe + ffmpeg", `pipeline ${s(total.ffmpegCpuSeconds)}; the pipeline process itself ${s(total.nodeCpuSeconds)} (no hand run)`],
      ["other CPU use meanwhile", `${s(total.otherCpuSeconds)}; steal ${s(total.stealSeconds)}`],
    );
  }
  rows.push(
    ["peak RSS of the pipeline process", `${mib(Math.max(...pipelines.map((run) => run.maxRssKiB)))} (${mib(Math.max(...pipelines.map((run) => run.maxRssBeforeKiB)))} before processVideo)`],
    ["machine", machineLine()],
  );
  const uploads = pipelines.map((run) => s(run.uploadSeconds)).join(", ");
  const statuses = [...new Set(pipelines.map((run) => run.status))].join(", ");
  console.log(`\nnot part of the figures: fixture ${generation}, uploaded in ${uploads}; video ${statuses}\n`);
  console.log("| measure | value |");
  console.log("| --- | --- |");
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
  console.log("");
}

/** One line per fixture: the figures issue 14 asks for. */
function printSummary(reports: FixtureReport[], runs: number) {
  console.log(`\n## complete → playable → ready (medians of ${runs} run(s); ${machineLine()})\n`);
  console.log("| fixture | first rendition | complete → playable | ÷ duration | goal | complete → ready | ÷ duration | by hand: playable / all | overhead to ready |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const { label, probe, passthrough, pipelines, hands } of reports) {
    const playable = nullable(median(pipelines, (run) => nullable(run.playableSeconds)).playableSeconds);
    const ready = nullable(median(pipelines, (run) => nullable(run.readySeconds)).readySeconds);
    const hand = hands.length > 0 ? median(hands, (run) => nullable(run.seconds)) : undefined;
    const handPlayable = hands.length > 0 ? median(hands, (run) => run.playableSeconds) : undefined;
    const duration = probe.durationSeconds;
    const first = pipelines[0]?.firstRenditions.join(", ") ?? "?";
    const target = goal({ passthrough, duration });
    const byHand = hand && handPlayable ? `${s(handPlayable.playableSeconds)} / ${hand.upToPlayable ? "not run" : s(hand.seconds)}` : "–";
    const overhead = hand && !hand.upToPlayable ? `${(ready / hand.seconds).toFixed(3)}× (${ready - hand.seconds >= 0 ? "+" : "−"}${s(Math.abs(ready - hand.seconds))})` : "–";
    console.log(
      `| ${label} | ${first}${hand ? ` (${hand.first.kind})` : ""} | ${s(playable)} | ${share(playable, duration)} | ${target.text}: ${playable <= target.seconds ? "met" : "missed"} | ${s(ready)} | ${share(ready, duration)} | ${byHand} | ${overhead} |`,
    );
  }
}

const run = values.pipeline ? pipelineChild(values.pipeline) : main();
run.then(
  // Lingering handles (pools, sockets) must not keep a finished bench alive.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
