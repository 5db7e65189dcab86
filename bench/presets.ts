/**
 * `npm run bench:presets`: which x264 preset for which rung, and how to spend the threads, measured on an excerpt of
 * the 10-minute lecture fixture (slides, a pointer, a talking-head inset, audio). Each rung is encoded alone from the
 * excerpt with the ladder's own settings (ladderArgs of lib/processing/commands.ts with one rendition: CRF, maxrate,
 * keyframes, HLS segments), once per preset, and the × real time and the size of its segments are printed as a
 * Markdown table. Then the thread question: the whole ladder in one ffmpeg run (as today) with x264's and the filter
 * graph's default threads, with `-threads N` per encoder, with `-filter_complex_threads N`, and the lowest rung alone
 * with a fast preset (issue 14 item 3: the first playable rendition) before or alongside the rest, also from the
 * "needs encoding" (HEVC) variant of the excerpt.
 *
 * `--runs N` alternates the order of the presets between N repeats and prints medians (a shared machine is noisy);
 * `--excerpt S` and `--start S` choose the excerpt (default 60 s from 60 s: two slide changes, at 80 and 113 s, the pointer and the
 * inset throughout, without the first slide's long static opening); `--presets a,b` and `--rungs 1080p,360p` narrow
 * the table; `--skip-threads` / `--threads-only` run one half; `--quick` is `--runs 1 --excerpt 30`; `--lecture S` takes
 * the excerpt from a lecture fixture of another length (600 s by default); `--first-presets a,b` are the presets tried
 * for the first rendition (the first one is used in the "360p first" rows).
 *
 * On a shared machine the wall times say more about the neighbours than about x264: each cell also prints its CPU
 * seconds per video second and "(… idle)", the × real time 2 idle cores would give for that CPU time. The first
 * table for issue 14's closing note was measured with `--excerpt 30 --start 70`.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ladderArgs } from "@/lib/processing/commands";
import { runFfmpeg } from "@/lib/processing/ffmpeg";
import { planLadder, type Rendition } from "@/lib/processing/ladder";
import { type Probe, probeVideo } from "@/lib/processing/probe";
import { planStoryboard } from "@/lib/processing/storyboard";
import { AUDIO_RENDITION } from "@/lib/videos/media-paths";
import { makeLectureExcerptFixture, makeLectureFixture, needsEncodingCodec } from "@/tests/helpers/lecture-fixture";
import { binaries, directoryBytes, machineLine, median, MiB, since, timed } from "./measure";

const PRESETS = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium"] as const;
const TODAY_PRESET = "veryfast";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    excerpt: { type: "string", default: "60" },
    start: { type: "string", default: "60" },
    presets: { type: "string", default: PRESETS.join(",") },
    rungs: { type: "string" },
    "first-presets": { type: "string", default: "veryfast,superfast,ultrafast" },
    "skip-threads": { type: "boolean", default: false },
    "threads-only": { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    lecture: { type: "string", default: "600" },
  },
});

type Source = { file: string; probe: Probe; label: string };
type Sample = { seconds: number; cpuSeconds: number; otherCpuSeconds: number; bytes: number };

const limitsFor = (probe: Probe) => ({ timeoutMs: Math.round(600_000 + probe.durationSeconds * 20_000), stallMs: 120_000 });

/** Options added to each x264 output (after its `-c:v libx264`) and global ones (first): the thread settings. */
function withOptions(args: string[], { encoder = [], global = [] }: { encoder?: string[]; global?: string[] }): string[] {
  const out: string[] = [...global];
  args.forEach((arg, index) => {
    out.push(arg);
    if (arg === "libx264" && args[index - 1] === "-c:v") out.push(...encoder);
  });
  return out;
}

/** One ffmpeg run of the ladder's command for `renditions` (into a fresh directory, removed after): its time and output size. */
async function encode({
  source,
  renditions,
  preset,
  audio,
  encoder,
  global,
  work,
}: {
  source: Source;
  renditions: Rendition[];
  preset: string;
  audio: boolean;
  encoder?: string[];
  global?: string[];
  work: string;
}): Promise<Sample> {
  const dir = await fs.mkdtemp(path.join(work, "run-"));
  try {
    const framesDir = path.join(dir, "frames");
    await fs.mkdir(framesDir);
    for (const name of [...renditions.map((rendition) => rendition.name), AUDIO_RENDITION]) await fs.mkdir(path.join(dir, "hls", name), { recursive: true });
    const args = ladderArgs({
      input: source.file,
      demuxer: source.probe.demuxer,
      outputDir: dir,
      framesDir,
      renditions,
      hasAudio: audio && source.probe.audio !== null,
      fps: source.probe.fps,
      storyboard: planStoryboard(source.probe),
      preset,
    });
    const { seconds, cpuSeconds, otherCpuSeconds } = await timed(() =>
      runFfmpeg({ binary: binaries().ffmpeg, args: withOptions(args, { encoder, global }), ...limitsFor(source.probe) }),
    );
    return { seconds, cpuSeconds, otherCpuSeconds, bytes: await directoryBytes(path.join(dir, "hls")) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Decoding the excerpt alone (no scaling, no encoding): the floor under every rung's time. */
async function decodeOnly(source: Source): Promise<Sample> {
  const { seconds, cpuSeconds, otherCpuSeconds } = await timed(() =>
    runFfmpeg({ binary: binaries().ffmpeg, args: ["-y", "-i", source.file, "-map", "0:v:0", "-f", "null", "-"], ...limitsFor(source.probe) }),
  );
  return { seconds, cpuSeconds, otherCpuSeconds, bytes: 0 };
}

const sourceOf = async ({ file, label }: { file: string; label: string }): Promise<Source> => ({ file, probe: await probeVideo({ ffprobe: binaries().ffprobe, path: file }), label });

const rotate = <T>(items: readonly T[], by: number) => items.map((_, index) => items[(index + by) % items.length] as T);

async function main() {
  const quick = values.quick;
  const runs = quick ? 1 : Number(values.runs);
  const excerptSeconds = quick ? 30 : Number(values.excerpt);
  const start = Number(values.start);
  const lectureSeconds = Number(values.lecture);
  if (!Number.isInteger(runs) || runs < 1 || !(excerptSeconds > 0) || !(start >= 0) || start + excerptSeconds > lectureSeconds) {
    throw new Error(`--runs must be a positive integer, --start and --excerpt within the ${lectureSeconds} s lecture`);
  }
  const presets = (values.presets ?? "").split(",").filter(Boolean);
  const firstPresets = (values["first-presets"] ?? "").split(",").filter(Boolean);

  const generationStarted = performance.now();
  console.log(`the ${lectureSeconds} s lecture fixture (cached under .data/fixtures)…`);
  const lecture = await makeLectureFixture({ seconds: lectureSeconds });
  const generation = lecture.generated ? `generated in ${since(generationStarted).toFixed(0)} s` : "cached";

  const work = await fs.mkdtemp(path.join(os.tmpdir(), "lectern-bench-presets-"));
  try {
    const excerpt = { lecture: { seconds: lectureSeconds }, start, seconds: excerptSeconds };
    const source = await sourceOf({ file: (await makeLectureExcerptFixture(excerpt)).path, label: "h264" });
    // The needs-encoding excerpt (thread section only): this excerpt re-encoded (HEVC where ffmpeg has libx265), not cut from the 10-minute variant, which takes long to make.
    const needsEncoding = async () => {
      const codec = await needsEncodingCodec();
      return sourceOf({ file: (await makeLectureExcerptFixture({ ...excerpt, codec })).path, label: codec });
    };
    const ladder = planLadder(source.probe);
    const rungs = values.rungs ? ladder.filter((rendition) => values.rungs?.split(",").includes(rendition.name)) : ladder;
    const duration = source.probe.durationSeconds;
    console.log(
      `excerpt: ${duration.toFixed(1)} s from ${start} s of ${path.basename(lecture.path)} (${generation}); ${source.probe.width}x${source.probe.height} ` +
        `${source.probe.videoCodec}, ${((await fs.stat(source.file)).size / MiB).toFixed(1)} MiB; ${runs} run(s); ${machineLine()}`,
    );

    const decodes: Sample[] = [];
    const cells = new Map<string, Sample[]>();
    const cell = (preset: string, rung: string) => `${preset}/${rung}`;
    if (!values["threads-only"]) {
      for (let run = 0; run < runs; run++) {
        decodes.push(await decodeOnly(source));
        for (const preset of rotate(presets, run)) {
          for (const rendition of rungs) {
            const sample = await encode({ source, renditions: [rendition], preset, audio: false, work });
            console.log(`  run ${run + 1}/${runs} ${preset} ${rendition.name}: ${sample.seconds.toFixed(2)} s, ${sample.cpuSeconds.toFixed(1)} CPU s, ${(sample.bytes / MiB).toFixed(2)} MiB, other ${sample.otherCpuSeconds.toFixed(0)} CPU s`);
            cells.set(cell(preset, rendition.name), [...(cells.get(cell(preset, rendition.name)) ?? []), sample]);
          }
        }
      }
    }

    const threadRows: { name: string; first: Sample[]; total: Sample[] }[] = [];
    let hevcLabel = "needs-encoding";
    if (!values["skip-threads"]) {
      const hevc = await needsEncoding();
      hevcLabel = hevc.label;
      const lowest = ladder.at(-1);
      if (!lowest) throw new Error("no rendition planned");
      const rest = ladder.slice(0, -1);
      const fastFirst = firstPresets[0] ?? "ultrafast";
      const scenarios: { name: string; run: () => Promise<{ first: Sample; total: Sample }> }[] = [
        ...[
          { name: `whole ladder, one run, ${TODAY_PRESET}, default threads (today)` },
          { name: `whole ladder, one run, ${TODAY_PRESET}, x264 -threads 2 per rung`, encoder: ["-threads", "2"] },
          { name: `whole ladder, one run, ${TODAY_PRESET}, x264 -threads 1 per rung`, encoder: ["-threads", "1"] },
          { name: `whole ladder, one run, ${TODAY_PRESET}, -filter_complex_threads 2`, global: ["-filter_complex_threads", "2"] },
        ].map(({ name, encoder, global }) => ({
          name,
          run: async () => {
            const sample = await encode({ source, renditions: ladder, preset: TODAY_PRESET, audio: true, encoder, global, work });
            return { first: sample, total: sample };
          },
        })),
        {
          // As transcode() does it: the first run makes the audio rendition too, the second video only.
          name: `${lowest.name} alone (${fastFirst}), then the rest in one run (${TODAY_PRESET})`,
          run: async () => {
            const first = await encode({ source, renditions: [lowest], preset: fastFirst, audio: true, work });
            const others = await encode({ source, renditions: rest, preset: TODAY_PRESET, audio: false, work });
            return { first, total: sum(first, others) };
          },
        },
        {
          name: `${lowest.name} alone (${fastFirst}) alongside the rest in one run (${TODAY_PRESET})`,
          run: async () => {
            // One measurement around both: each run's own CPU figure would count the other's child once it ends.
            const both = await timed(() =>
              Promise.all([
                encode({ source, renditions: [lowest], preset: fastFirst, audio: true, work }),
                encode({ source, renditions: rest, preset: TODAY_PRESET, audio: false, work }),
              ]),
            );
            const [first, others] = both.value;
            return { first, total: { seconds: both.seconds, cpuSeconds: both.cpuSeconds, otherCpuSeconds: both.otherCpuSeconds, bytes: first.bytes + others.bytes } };
          },
        },
        ...firstPresets.flatMap((preset) =>
          [source, hevc].map((from) => ({
            name: `first rendition only: ${lowest.name} ${preset} from the ${from.label} excerpt`,
            run: async () => {
              const sample = await encode({ source: from, renditions: [lowest], preset, audio: true, work });
              return { first: sample, total: sample };
            },
          })),
        ),
      ];
      const results = new Map(scenarios.map((scenario) => [scenario.name, { first: [] as Sample[], total: [] as Sample[] }]));
      for (let run = 0; run < runs; run++) {
        for (const scenario of rotate(scenarios, run)) {
          const { first, total } = await scenario.run();
          console.log(`  run ${run + 1}/${runs} ${scenario.name}: first ${first.seconds.toFixed(2)} s, all ${total.seconds.toFixed(2)} s`);
          results.get(scenario.name)?.first.push(first);
          results.get(scenario.name)?.total.push(total);
        }
      }
      for (const scenario of scenarios) {
        const result = results.get(scenario.name);
        if (result) threadRows.push({ name: scenario.name, ...result });
      }
    }

    print({ duration, runs, presets, rungs, cells, decodes, threadRows, cell, hevcLabel });
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

const sum = (a: Sample, b: Sample): Sample => ({
  seconds: a.seconds + b.seconds,
  cpuSeconds: a.cpuSeconds + b.cpuSeconds,
  otherCpuSeconds: a.otherCpuSeconds + b.otherCpuSeconds,
  bytes: a.bytes + b.bytes,
});

function print({
  duration,
  runs,
  presets,
  rungs,
  cells,
  decodes,
  threadRows,
  cell,
  hevcLabel,
}: {
  duration: number;
  runs: number;
  presets: string[];
  rungs: Rendition[];
  cells: Map<string, Sample[]>;
  decodes: Sample[];
  threadRows: { name: string; first: Sample[]; total: Sample[] }[];
  cell: (preset: string, rung: string) => string;
  hevcLabel: string;
}) {
  const speed = (seconds: number) => `${(duration / seconds).toFixed(1)}×`;
  const kbps = (bytes: number) => `${Math.round((bytes * 8) / duration / 1000)} kbit/s`;
  // On a shared machine the wall time says more about the neighbours than about x264: the CPU time is steadier. On 2 idle
  // cores a run would take about its CPU time ÷ 2 (x264's frame threads keep both busy; an upper bound for small rungs).
  const idle = (cpuSeconds: number) => `${(duration / (cpuSeconds / os.cpus().length)).toFixed(1)}×`;
  const other = (samples: Sample[]) => samples.reduce((total, sample) => total + sample.otherCpuSeconds, 0);
  console.log(
    `\nmachine: ${machineLine()}; medians of ${runs} alternated run(s); × real time = excerpt duration (${duration.toFixed(1)} s) ÷ wall time as measured, ` +
      `(… idle) = the same from the CPU time, as on ${os.cpus().length} idle cores; CPU s/s = CPU seconds per second of video\n`,
  );
  if (cells.size > 0) {
    const decode = median(decodes, (sample) => sample.seconds);
    console.log(`decoding the 1080p H.264 excerpt alone: ${speed(decode.seconds)} (${decode.seconds.toFixed(2)} s, ${decode.cpuSeconds.toFixed(1)} CPU s), included in every cell\n`);
    console.log(`| preset | ${rungs.map((rung) => `${rung.name} (CRF 23, ≤ ${rung.maxBitrate / 1e6} Mbit/s)`).join(" | ")} |`);
    console.log(`| --- | ${rungs.map(() => "---").join(" | ")} |`);
    for (const preset of presets) {
      const row = rungs.map((rung) => {
        const samples = cells.get(cell(preset, rung.name)) ?? [];
        if (samples.length === 0) return "–";
        const middle = median(samples, (sample) => sample.seconds);
        return `${speed(middle.seconds)} (${idle(middle.cpuSeconds)} idle) · ${(middle.bytes / MiB).toFixed(2)} MiB (${kbps(middle.bytes)}) · ${(middle.cpuSeconds / duration).toFixed(2)} CPU s/s`;
      });
      console.log(`| ${preset} | ${row.join(" | ")} |`);
    }
    const allOther = [...cells.values()].flat();
    console.log(`\nother CPU use on the machine meanwhile: ${(other(allOther) / Math.max(1, allOther.length)).toFixed(1)} CPU s per cell on average (0 on an idle machine)`);
  }
  if (threadRows.length > 0) {
    console.log(`\n| thread setting (${hevcLabel} rows: from the needs-encoding variant) | first rendition done | all done | × real time (all) | CPU s | output |`);
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const row of threadRows) {
      const total = median(row.total, (sample) => sample.seconds);
      const first = median(row.first, (sample) => sample.seconds);
      console.log(
        `| ${row.name} | ${first.seconds.toFixed(2)} s (${(first.seconds / duration).toFixed(3)}× duration) | ${total.seconds.toFixed(2)} s | ${speed(total.seconds)} (${idle(total.cpuSeconds)} idle) | ${total.cpuSeconds.toFixed(0)} (${(total.cpuSeconds / duration).toFixed(2)} /s) | ${(total.bytes / MiB).toFixed(2)} MiB |`,
      );
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
