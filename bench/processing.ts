/**
 * `npm run bench:processing`: how fast a video becomes ready, and what our
 * pipeline costs on top of ffmpeg. A 60 s 1920x1080 30 fps H.264/AAC fixture
 * is uploaded the real way (init → PUT to presigned part URLs → complete) to a
 * fresh test database and a fresh local store, then processVideo runs the
 * whole pipeline on it (download, probe, poster, ladder, storyboard, upload,
 * ready). The same probe and ffmpeg commands are then run by hand on the
 * local file (commands.ts builds both, so they cannot drift apart).
 * `--seconds N` and `--height H` (16:9) change the fixture, for a quick run;
 * `--runs N` alternates N pipeline and N hand runs and reports the medians
 * (timings on a small or shared machine vary a lot from run to run).
 *
 * The app's modules read the environment once, when first imported, so the
 * upload and processVideo run in a child process started with DATABASE_URL
 * and STORAGE_* pointing at the fresh services (as Vitest's global setup and
 * setup file do). Its peak RSS is the pipeline's own: the store and the
 * database live in this process and theirs.
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
import { DATA_DIR, openTestDatabase } from "@/dev/database";
import { startLocalStorage } from "@/dev/local-storage";
import { prepareDatabase } from "@/dev/prepare-database";
import { ladderArgs, posterArgs, storyboardArgs } from "@/lib/processing/commands";
import { resolveBinaries, runFfmpeg } from "@/lib/processing/ffmpeg";
import { planLadder } from "@/lib/processing/ladder";
import { type Probe, probeVideo } from "@/lib/processing/probe";
import { planStoryboard } from "@/lib/processing/storyboard";
import { makeVideoFixture } from "@/tests/helpers/video-fixtures";

const STALL_MS = 120_000;
const RESULT_PREFIX = "BENCH_RESULT ";
const MiB = 1024 * 1024;
const STAGE_POLL_MS = 250;

/** What the pipeline child reports back (one JSON line on stdout). */
type PipelineResult = {
  fileBytes: number;
  partCount: number;
  uploadSeconds: number;
  pipelineSeconds: number;
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
  renditions: string[];
  probeSeconds: number;
  posterSeconds: number;
  ladderSeconds: number;
  tileSeconds: number;
  seconds: number;
  ffmpegCpuSeconds: number;
  otherCpuSeconds: number;
  stealSeconds: number;
  outputFiles: number;
};

const binaries = () => resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH, ffprobePath: process.env.FFPROBE_PATH });
const since = (started: number) => (performance.now() - started) / 1000;
const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

/** CPU seconds used by this process's finished children (ffprobe, ffmpeg), from /proc/self/stat (Linux; NaN elsewhere). */
async function childrenCpuSeconds(): Promise<number> {
  const stat = await fs.readFile("/proc/self/stat", "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 (cutime, cstime) in clock ticks, 100 a second on Linux.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** CPU seconds the whole machine spent busy (all cores; steal counted apart), from /proc/stat (Linux; NaN elsewhere). */
async function machineCpuSeconds(): Promise<{ busy: number; steal: number }> {
  const line = (await fs.readFile("/proc/stat", "utf8").catch(() => "")).split("\n")[0] ?? "";
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return { busy: [user, nice, system, irq, softirq].reduce<number>((sum, ticks) => sum + Number(ticks), 0) / 100, steal: Number(steal) / 100 };
}

/** What else ran meanwhile: the machine's busy CPU seconds minus ours, and the hypervisor's steal. */
async function otherLoad(before: { busy: number; steal: number }, ours: number) {
  const after = await machineCpuSeconds();
  return { otherCpuSeconds: Math.max(0, after.busy - before.busy - ours), stealSeconds: after.steal - before.steal };
}

const ownCpuSeconds = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
};

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    height: { type: "string", default: "1080" },
    runs: { type: "string", default: "1" },
    pipeline: { type: "string" },
  },
});

/** The orchestrator: services, fixture, the pipeline child, the hand run, the table. */
async function main() {
  const seconds = Number(values.seconds);
  const height = even(Number(values.height));
  const runs = Number(values.runs);
  if (!(seconds > 0) || !(height >= 2) || !Number.isInteger(runs) || runs < 1) {
    throw new Error("--seconds and --height must be positive numbers, --runs a positive integer");
  }
  const width = even((height * 16) / 9);

  const work = await fs.mkdtemp(path.join(os.tmpdir(), "lectern-bench-processing-"));
  const storeDir = path.join(DATA_DIR, `bench-s3-${process.pid}`);
  const database = await openTestDatabase();
  let store: Awaited<ReturnType<typeof startLocalStorage>>["store"] | undefined;
  try {
    await prepareDatabase({ url: database.url, alwaysSeed: true });
    const storage = await startLocalStorage({ dataDir: storeDir, port: 0, adminPort: 0, appOrigins: ["http://localhost:3000"], fresh: true });
    store = storage.store;

    const fixture = path.join(work, `fixture-${seconds}s-${height}p.mp4`);
    console.log(`generating a ${seconds} s ${width}x${height} 30 fps H.264/AAC fixture…`);
    const generationStarted = performance.now();
    await makeVideoFixture({ path: fixture, seconds, width, height });
    const generationSeconds = since(generationStarted);

    // Interleaved, so a noisy neighbour or a CPU slowing down weighs on both sides alike.
    const pipelines: PipelineResult[] = [];
    const hands: HandResult[] = [];
    for (let run = 1; run <= runs; run++) {
      const label = runs > 1 ? `run ${run}/${runs}: ` : "";
      console.log(`${label}the pipeline (upload, then processVideo)…`);
      pipelines.push(await runPipelineChild({ fixture, env: { ...storage.env, DATABASE_URL: database.url } }));
      console.log(`${label}the same probe and ffmpeg commands by hand…`);
      hands.push(await runByHand({ fixture, tempDir: work }));
    }
    print({ generationSeconds, pipelines, hands });
  } finally {
    await store?.close();
    await fs.rm(storeDir, { recursive: true, force: true });
    await database.close();
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Runs this file again with `--pipeline <fixture>` and the services' environment; resolves with its report. */
function runPipelineChild({ fixture, env }: { fixture: string; env: Record<string, string> }): Promise<PipelineResult> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", self, "--pipeline", fixture], {
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

/** Probe, poster, ladder (with the storyboard's frames) and the storyboard tiling, as processVideo runs them, on the local file. */
async function runByHand({ fixture, tempDir }: { fixture: string; tempDir: string }): Promise<HandResult> {
  const { ffmpeg, ffprobe } = binaries();
  const work = await fs.mkdtemp(path.join(tempDir, "hand-"));
  const out = path.join(work, "out");
  const framesDir = path.join(work, "storyboard-frames");
  try {
    const cpuBefore = await childrenCpuSeconds();
    const machineBefore = await machineCpuSeconds();
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    const probe = await probeVideo({ ffprobe, path: fixture });
    const probeSeconds = since(started);
    const renditions = planLadder(probe);
    for (const rendition of renditions) await fs.mkdir(path.join(out, "hls", rendition.name), { recursive: true });
    await fs.mkdir(framesDir);
    const limits = { timeoutMs: 120_000 + probe.durationSeconds * 10_000, stallMs: STALL_MS };

    const posterStarted = performance.now();
    await runFfmpeg({
      binary: ffmpeg,
      args: posterArgs({ input: fixture, output: path.join(out, "poster.jpg"), probe }),
      ...limits,
    });
    const posterSeconds = since(posterStarted);
    const ladderStarted = performance.now();
    await runFfmpeg({
      binary: ffmpeg,
      args: ladderArgs({ input: fixture, demuxer: probe.demuxer, outputDir: out, framesDir, renditions, hasAudio: probe.audio !== null, fps: probe.fps, storyboard: planStoryboard(probe) }),
      ...limits,
    });
    const ladderSeconds = since(ladderStarted);
    const tileStarted = performance.now();
    const storyboard = planStoryboard({ ...probe, frames: (await fs.readdir(framesDir)).length });
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
      renditions: renditions.map((rendition) => rendition.name),
      probeSeconds,
      posterSeconds,
      ladderSeconds,
      tileSeconds,
      seconds,
      ffmpegCpuSeconds,
      ...other,
      outputFiles,
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

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
  const uploadSeconds = since(uploadStarted);

  const maxRssBeforeKiB = process.resourceUsage().maxRSS;
  const context = { binaries: binaries(), storage, tempDir: os.tmpdir(), stallMs: STALL_MS };
  const childrenCpuBefore = await childrenCpuSeconds();
  const nodeCpuBefore = process.cpuUsage();
  const machineBefore = await machineCpuSeconds();
  const started = performance.now();
  // Where the time goes: the stage processVideo records, polled from the database (stages shorter than the poll may not show).
  const stages: { stage: string; at: number }[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const current = await selectVideo({ videoId: init.videoId });
      const stage = current?.processingStage ?? current?.status ?? "missing";
      if (stage !== stages.at(-1)?.stage) stages.push({ stage, at: since(started) });
      await new Promise((resolve) => setTimeout(resolve, STAGE_POLL_MS));
    }
  })();
  const processed = await processVideo({ context, videoId: init.videoId, jobId: randomUUID(), attempt: 1 }).finally(() => (polling = false));
  const pipelineSeconds = since(started);
  const nodeCpuSeconds = ownCpuSeconds(nodeCpuBefore);
  const ffmpegCpuSeconds = (await childrenCpuSeconds()) - childrenCpuBefore;
  const other = await otherLoad(machineBefore, ffmpegCpuSeconds + nodeCpuSeconds);
  await poller;
  const maxRssKiB = process.resourceUsage().maxRSS;
  if (!processed) throw new Error("processVideo did not claim the video");

  const video = await selectVideo({ videoId: init.videoId });
  const keys = await storage.listKeys({ prefix: videoPrefix({ courseId, videoId: init.videoId }) });
  const result: PipelineResult = {
    fileBytes: size,
    partCount: init.partCount,
    uploadSeconds,
    pipelineSeconds,
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

/** The median run (the upper one of an even count), so its other figures belong to one real run. */
function median<T>(items: T[], by: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => by(a) - by(b));
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error("no runs");
  return middle;
}

function print({ generationSeconds, pipelines, hands }: { generationSeconds: number; pipelines: PipelineResult[]; hands: HandResult[] }) {
  const pipeline = median(pipelines, (run) => run.pipelineSeconds);
  const hand = median(hands, (run) => run.seconds);
  const { probe } = hand;
  const duration = probe.durationSeconds;
  const s = (value: number) => `${value.toFixed(2)} s`;
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  const spread = (values: number[]) =>
    values.length > 1 ? ` (median of ${values.length}; all: ${values.map((value) => value.toFixed(2)).join(", ")} s)` : "";
  const difference = pipeline.pipelineSeconds - hand.seconds;
  const rows: [string, string][] = [
    [
      "fixture",
      `${probe.width}x${probe.height}, ${probe.fps ?? "?"} fps, ${probe.videoCodec}/${probe.audioCodec ?? "no audio"}, ${(pipeline.fileBytes / MiB).toFixed(1)} MiB (${pipeline.partCount} upload part(s))`,
    ],
    ["duration", s(duration)],
    ["renditions", `${pipeline.renditions.join(", ")} + poster, storyboard (${pipeline.outputObjects} objects stored; ${hand.outputFiles} files by hand, no master playlist or VTT)`],
    ["pipeline wall time (processVideo)", `${s(pipeline.pipelineSeconds)}${spread(pipelines.map((run) => run.pipelineSeconds))}`],
    ["× real time (duration ÷ pipeline)", `${(duration / pipeline.pipelineSeconds).toFixed(2)}×`],
    ["pipeline stages (polled)", pipeline.stages.map(({ stage, seconds }) => `${stage} ${s(seconds)}`).join(", ")],
    [
      "ffmpeg by hand (probe, poster, ladder, storyboard tiling)",
      `${s(hand.seconds)}: probe ${s(hand.probeSeconds)}, poster ${s(hand.posterSeconds)}, ladder ${s(hand.ladderSeconds)}, tiling ${s(hand.tileSeconds)}${spread(hands.map((run) => run.seconds))}`,
    ],
    ["× real time by hand", `${(duration / hand.seconds).toFixed(2)}×`],
    ["overhead ratio (pipeline ÷ by hand)", `${(pipeline.pipelineSeconds / hand.seconds).toFixed(3)} (${difference >= 0 ? "+" : "−"}${s(Math.abs(difference))})`],
    [
      "CPU time of ffprobe + ffmpeg",
      `pipeline ${s(pipeline.ffmpegCpuSeconds)}, by hand ${s(hand.ffmpegCpuSeconds)}; the pipeline process itself ${s(pipeline.nodeCpuSeconds)}`,
    ],
    [
      "other CPU use meanwhile (store, PostgreSQL, anything else)",
      `pipeline ${s(pipeline.otherCpuSeconds)}, by hand ${s(hand.otherCpuSeconds)}; steal ${s(pipeline.stealSeconds)}, ${s(hand.stealSeconds)} (a clean run is near 0)`,
    ],
    [
      "peak RSS of the pipeline process",
      `${mib(Math.max(...pipelines.map((run) => run.maxRssKiB)))} (${mib(Math.max(...pipelines.map((run) => run.maxRssBeforeKiB)))} before processVideo)`,
    ],
    ["CPUs", `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown"}`],
  ];
  const uploads = pipelines.map((run) => s(run.uploadSeconds)).join(", ");
  const statuses = [...new Set(pipelines.map((run) => run.status))].join(", ");
  console.log(`\nnot part of the figures: fixture generated in ${s(generationSeconds)}, uploaded in ${uploads}; video ${statuses}\n`);
  console.log("| measure | value |");
  console.log("| --- | --- |");
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
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
