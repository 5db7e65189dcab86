import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { AUDIO_RENDITION, INIT_SEGMENT, MASTER_PLAYLIST, POSTER, renditionPlaylist, STORYBOARD_SPRITE, STORYBOARD_VTT } from "@/lib/videos/media-paths";
import { initSegmentCodec } from "./cmaf";
import { type AudioPlan, ladderArgs, posterArgs, remuxArgs, storyboardArgs } from "./commands";
import { type Binaries, FfmpegError, runFfmpeg } from "./ffmpeg";
import { AAC_LC, planLadder, type Rendition } from "./ladder";
import { copiesAudio, MAX_PASSTHROUGH_SEGMENT_SECONDS, passthroughRefusal, passthroughRendition, rungsBelow } from "./passthrough";
import { type GrowingStore, type ListedRendition, publishWhileWriting } from "./growing-rendition";
import { type MasterAudio, masterPlaylist, type MasterVariant, measureBandwidth, type MediaSegment, parseMediaPlaylist, playlistDuration } from "./playlists";
import { type MediaLimits, type Probe, probeVideo } from "./probe";
import { planStoryboard, type StoryboardPlan, storyboardVtt } from "./storyboard";
import { log } from "@/lib/logger";

export type TranscodeStage = "probing" | "transcoding";

/** How the first rendition was made: the source's H.264 copied (passthrough), or the smallest rung encoded first. */
export type FirstRenditionKind = "passthrough" | "smallest-rung";

/** What is watchable once the first rendition is written: its files (and the poster, the audio, the master listing it). */
export type FirstRendition = {
  outDir: string;
  probe: Probe;
  kind: FirstRenditionKind;
  durationSeconds: number;
  variants: MasterVariant[];
  audio: MasterAudio | null;
  /** Paths relative to `outDir`, the master last. */
  files: string[];
};

/** The outputs of one run, in `outDir` with the layout they are published under. */
export type Transcoded = {
  outDir: string;
  probe: Probe;
  /** What really plays (measured from the renditions), which may be less than the probe's figure. */
  durationSeconds: number;
  storyboard: StoryboardPlan;
  /** Every video rendition, the first one included. */
  variants: MasterVariant[];
  audio: MasterAudio | null;
  first: FirstRenditionKind;
};

/**
 * A progressive run's source in storage: a source served as it is is remuxed straight from this (presigned) URL
 * while the local copy downloads, and its rendition is published while it is written (`store` takes its files).
 */
export type GrowingSource = { url: string; store: GrowingStore };

/** Segments (of every rendition) written before a growing first rendition is published: ~18 s to play. */
const GROWING_MIN_SEGMENTS = 3;

/** A hung ffmpeg is stopped after 2 minutes plus 10× the video's duration (a generous bound for 2 cores), at most 22 h. */
const timeoutFor = (durationSeconds: number) => Math.min(22 * 3_600_000, 120_000 + durationSeconds * 10_000);

/**
 * The smallest rung, encoded first for sources that cannot be served as they are. Measured (`npm run bench:presets`,
 * the lecture fixture): at 360p decoding the source dominates, ultrafast saves ~10 % CPU for 4.9× the bytes and
 * superfast none for 2.6×, and this rendition stays in the final ladder: veryfast, as the other rungs.
 */
export const FIRST_RUNG_PRESET = "veryfast";

/**
 * Probes a local source and writes the CMAF ladder (video renditions and one audio rendition), poster, storyboard and
 * master playlist into `workDir/out`. Files only: no database, and no storage but through `growing.store`. The first
 * rendition comes first — the source remuxed when browsers play it as it is (passthrough), else the smallest rung
 * encoded alone — and `onFirstRendition` gets it (with a master listing only it) before the rest of the ladder is
 * encoded, in one more decoding run with the storyboard's frames. With `growing`, a source served as it is is probed
 * and remuxed from its storage URL while the local copy downloads, and `onFirstRendition` gets it once its first
 * segments are stored (the rest follows through `growing.store`). Progress runs from 3 % (probing) to 90 % (transcoded).
 */
export async function transcode({
  binaries,
  source,
  workDir,
  stallMs,
  preset,
  firstPreset = FIRST_RUNG_PRESET,
  limits,
  signal,
  onProgress,
  onFirstRendition,
  sourceReady = Promise.resolve(),
  growing,
}: {
  binaries: Binaries;
  /** The local copy of the source: complete once `sourceReady` resolves. */
  source: string;
  sourceReady?: Promise<unknown>;
  /** Streams a source served as it is from storage and publishes its rendition as it is written (needs `onFirstRendition`). */
  growing?: GrowingSource;
  workDir: string;
  /** ffmpeg is killed after this long without progress. */
  stallMs: number;
  preset?: string;
  /** The x264 preset of the smallest rung when it is encoded first. */
  firstPreset?: string;
  limits?: MediaLimits;
  signal: AbortSignal;
  onProgress: (stage: TranscodeStage, percent: number) => void;
  onFirstRendition?: (first: FirstRendition) => Promise<void>;
}): Promise<Transcoded> {
  onProgress("probing", 3);
  const remote = growing && onFirstRendition ? await probeServedAsItIs({ binaries, growing, limits }) : undefined;
  if (!remote) await sourceReady;
  const probe = remote ?? (await probeVideo({ ffprobe: binaries.ffprobe, path: source, limits }));
  // The poster and the remux read the source from storage while it downloads; the rest waits for the local copy.
  const input = remote ? (growing?.url ?? source) : source;
  const ladder = planLadder(probe);
  const out = path.join(workDir, "out");
  const framesDir = path.join(workDir, "storyboard-frames");
  await mkdir(path.join(out, "hls"), { recursive: true });
  await mkdir(framesDir);

  onProgress("transcoding", 5);
  const ffmpegLimits = { timeoutMs: timeoutFor(probe.durationSeconds), stallMs, signal };
  const progressOver = (from: number, to: number) => (seconds: number) => onProgress("transcoding", from + (to - from) * Math.min(1, seconds / probe.durationSeconds));
  await runFfmpeg({ binary: binaries.ffmpeg, args: posterArgs({ input, output: path.join(out, POSTER), probe }), ...ffmpegLimits });

  const audioBitrate = ladder[0]?.audioBitrate ?? 128_000;
  const hasAudio = probe.audio !== null;
  // 1. The first rendition, with the audio rendition.
  let kind: FirstRenditionKind = "smallest-rung";
  let first: Rendition | undefined;
  let rest: Rendition[] = ladder;
  let firstPublished = false;
  const refusal = passthroughRefusal(probe);
  if (refusal === null) {
    const rendition = passthroughRendition(probe);
    const audio: AudioPlan = !hasAudio ? { mode: "none" } : copiesAudio(probe) ? { mode: "copy" } : { mode: "encode", bitrate: audioBitrate };
    const remuxing = { binaries, probe, out, rendition, audio, limits: ffmpegLimits, onProgress: progressOver(5, 12) };
    let made = false;
    if (remote && growing && onFirstRendition) {
      const publish = async (listed: ListedRendition[]) => {
        const [video, audioListed] = listed;
        if (!video) throw new Error("no video rendition listed");
        const variant = await measureVariant({ out, rendition, fps: probe.fps, segments: video.segments });
        const audioTrack = audioListed ? await measureAudio(out, audioListed.segments) : null;
        await writeFile(path.join(out, MASTER_PLAYLIST), masterPlaylist({ variants: [variant], audio: audioTrack }));
        await onFirstRendition({ outDir: out, probe, kind: "passthrough", durationSeconds: probe.durationSeconds, variants: [variant], audio: audioTrack, files: [POSTER, MASTER_PLAYLIST] });
      };
      const grown = await remuxGrowing({ ...remuxing, input: growing.url, store: growing.store, publish });
      made = grown !== "not-made";
      firstPublished = grown === "published";
      if (grown === "retry-locally") {
        await sourceReady;
        made = await remux({ ...remuxing, input: source });
      }
    } else made = await remux({ ...remuxing, input: source });
    if (made) {
      kind = "passthrough";
      first = rendition;
      rest = rungsBelow(ladder, rendition);
    }
  } else log().info({ reason: refusal }, "encoding the smallest rung first: the source cannot be served as it is");
  await sourceReady;
  if (!first) {
    const smallest = ladder[ladder.length - 1];
    if (!smallest) throw new Error("no rendition planned");
    first = smallest;
    rest = ladder.slice(0, -1);
    await prepare(out, [smallest.name, ...(hasAudio ? [AUDIO_RENDITION] : [])]);
    await runFfmpeg({
      binary: binaries.ffmpeg,
      args: ladderArgs({
        input: source,
        demuxer: probe.demuxer,
        outputDir: out,
        renditions: [smallest],
        hasAudio,
        // One audio rendition for the whole ladder: at the bitrate of its top rung.
        audio: hasAudio ? { mode: "encode", bitrate: audioBitrate } : { mode: "none" },
        fps: probe.fps,
        preset: firstPreset,
      }),
      ...ffmpegLimits,
      onProgress: progressOver(5, 25),
    });
  }
  const firstVariant = await measureVariant({ out, rendition: first, fps: probe.fps });
  const audio = hasAudio ? await measureAudio(out) : null;
  // What really plays: a file cut short behind an intact index (MP4 with faststart) plays less than its header says.
  const durationSeconds = (await playedSeconds(out, first.name)) ?? probe.durationSeconds;
  await writeFile(path.join(out, MASTER_PLAYLIST), masterPlaylist({ variants: [firstVariant], audio }));
  if (onFirstRendition && !firstPublished) {
    const files = [POSTER, ...(await filesUnder(out, `hls/${first.name}`)), ...(audio ? await filesUnder(out, `hls/${AUDIO_RENDITION}`) : []), MASTER_PLAYLIST];
    await onFirstRendition({ outDir: out, probe, kind, durationSeconds, variants: [firstVariant], audio, files });
  }

  // 2. The rest of the ladder and the storyboard's frames: one more decoding run (video only, the audio is made).
  const plannedStoryboard = planStoryboard(probe);
  await prepare(out, rest.map((rendition) => rendition.name));
  const ladderFrom = kind === "passthrough" ? 12 : 25;
  await runFfmpeg({
    binary: binaries.ffmpeg,
    args: ladderArgs({
      input: source,
      demuxer: probe.demuxer,
      outputDir: out,
      framesDir,
      renditions: rest,
      hasAudio,
      audio: { mode: "none" },
      fps: probe.fps,
      storyboard: plannedStoryboard,
      preset,
    }),
    ...ffmpegLimits,
    onProgress: progressOver(ladderFrom, 90),
  });
  // The plan's tile count, corrected to the frames ffmpeg's fps filter really produced.
  const frames = (await readdir(framesDir)).length;
  const storyboard = planStoryboard({ ...probe, durationSeconds, frames, interval: plannedStoryboard.interval });
  await runFfmpeg({
    binary: binaries.ffmpeg,
    args: storyboardArgs({ framesDir, count: storyboard.count, columns: storyboard.columns, output: path.join(out, STORYBOARD_SPRITE) }),
    ...ffmpegLimits,
  });
  await writeFile(path.join(out, STORYBOARD_VTT), storyboardVtt({ plan: storyboard, durationSeconds, sprite: STORYBOARD_SPRITE }));

  const variants = [firstVariant];
  for (const rendition of rest) variants.push(await measureVariant({ out, rendition, fps: probe.fps }));
  await writeFile(path.join(out, MASTER_PLAYLIST), masterPlaylist({ variants, audio }));
  return { outDir: out, probe, durationSeconds, storyboard, variants, audio, first: kind };
}

/**
 * The probe of a source in storage, read over HTTP (the moov and a few ranges, not the file), when its stream can
 * be served as it is; undefined otherwise (then the local copy is probed, which names what is wrong with a file).
 */
async function probeServedAsItIs({ binaries, growing, limits }: { binaries: Binaries; growing: GrowingSource; limits?: MediaLimits }): Promise<Probe | undefined> {
  try {
    const probe = await probeVideo({ ffprobe: binaries.ffprobe, path: growing.url, limits });
    return passthroughRefusal(probe) === null ? probe : undefined;
  } catch (error) {
    log().info({ err: error }, "the source could not be probed in storage: probing the local copy");
    return undefined;
  }
}

type RemuxOptions = {
  binaries: Binaries;
  input: string;
  probe: Probe;
  out: string;
  rendition: Rendition;
  audio: AudioPlan;
  limits: { timeoutMs: number; stallMs: number; signal: AbortSignal };
  onProgress: (seconds: number) => void;
};

const remuxDirs = ({ rendition, audio }: Pick<RemuxOptions, "rendition" | "audio">) => [rendition.name, ...(audio.mode === "none" ? [] : [AUDIO_RENDITION])];

async function discardRemux({ out, rendition, audio }: Pick<RemuxOptions, "out" | "rendition" | "audio">, reason: string): Promise<false> {
  log().info({ reason }, "passthrough not possible: encoding the smallest rung first");
  for (const dir of remuxDirs({ rendition, audio })) await rm(path.join(out, "hls", dir), { recursive: true, force: true });
  return false;
}

/** Why a remuxed rendition's segments (the first ones, or all once `finished`) cannot be served, or null. */
function remuxRefusal(segments: MediaSegment[], finished: boolean): string | null {
  if (finished && segments.length === 0) return "no segments";
  const longest = Math.max(0, ...segments.map((segment) => segment.duration));
  return longest > MAX_PASSTHROUGH_SEGMENT_SECONDS ? `keyframes up to ${longest.toFixed(1)} s apart` : null;
}

/**
 * The passthrough rendition (and the audio one); false, with nothing left behind, when ffmpeg cannot copy the stream
 * or its keyframes are too far apart (segments longer than ~12 s): the smallest rung is encoded instead.
 */
async function remux(options: RemuxOptions): Promise<boolean> {
  const { binaries, input, probe, out, rendition, audio, limits, onProgress } = options;
  await prepare(out, remuxDirs(options));
  try {
    await runFfmpeg({ binary: binaries.ffmpeg, args: remuxArgs({ input, demuxer: probe.demuxer, outputDir: out, rendition, audio }), ...limits, onProgress });
  } catch (error) {
    if (error instanceof FfmpegError && error.reason === "exit") return discardRemux(options, error.message);
    throw error;
  }
  const refusal = remuxRefusal(parseMediaPlaylist(await readFile(path.join(out, renditionPlaylist(rendition.name)), "utf8")), true);
  return refusal === null ? true : discardRemux(options, refusal);
}

/**
 * The passthrough rendition remuxed from the source in storage and published while it is written, once its first
 * segments are (seconds after the start, whatever the source's length). Keyframes are checked on those segments
 * (and on all of them when the source is short); a later long gap still plays, with a longer segment. "not-made":
 * refused as `remux` would, nothing stored; "retry-locally": ffmpeg could not read the source in storage, nothing
 * published (remux the local copy instead); a failure after publishing is thrown, with the published part closed.
 */
async function remuxGrowing(options: RemuxOptions & { store: GrowingStore; publish: (listed: ListedRendition[]) => Promise<void> }): Promise<"published" | "not-made" | "retry-locally"> {
  const { binaries, input, probe, out, rendition, audio, limits, onProgress, store, publish } = options;
  await prepare(out, remuxDirs(options));
  const stop = new AbortController();
  const stopOnAbort = () => stop.abort();
  limits.signal.addEventListener("abort", stopOnAbort, { once: true });
  try {
    const ffmpeg = runFfmpeg({
      binary: binaries.ffmpeg,
      args: remuxArgs({ input, demuxer: probe.demuxer, outputDir: out, rendition, audio, growing: true }),
      ...limits,
      signal: stop.signal,
      onProgress,
    });
    const outcome = await publishWhileWriting({
      outDir: out,
      dirs: remuxDirs(options).map((dir) => `hls/${dir}`),
      ffmpeg,
      stopFfmpeg: () => stop.abort(),
      store,
      minSegments: GROWING_MIN_SEGMENTS,
      ready: ([video], finished) => remuxRefusal(video?.segments ?? [], finished),
      publish,
    });
    if (outcome.kind === "published") return "published";
    limits.signal.throwIfAborted();
    if (outcome.kind === "refused") return discardRemux(options, outcome.reason).then(() => "not-made" as const);
    if (outcome.error instanceof FfmpegError && outcome.error.reason === "aborted") throw outcome.error;
    log().warn({ err: outcome.error }, "the remux from storage failed before publishing: remuxing the local copy");
    for (const dir of remuxDirs(options)) await rm(path.join(out, "hls", dir), { recursive: true, force: true });
    return "retry-locally";
  } finally {
    limits.signal.removeEventListener("abort", stopOnAbort);
  }
}

async function prepare(out: string, renditions: string[]) {
  for (const name of renditions) await mkdir(path.join(out, "hls", name), { recursive: true });
}

async function measureSegments(dir: string, listed?: MediaSegment[]) {
  const segments = listed ?? parseMediaPlaylist(await readFile(path.join(dir, "index.m3u8"), "utf8"));
  const sized = await Promise.all(segments.map(async (segment) => ({ duration: segment.duration, bytes: (await stat(path.join(dir, segment.uri))).size })));
  return measureBandwidth(sized);
}

/** A rendition's master entry, measured from its playlist's segments (or from `segments`, those written so far). */
async function measureVariant({ out, rendition, fps, segments }: { out: string; rendition: Rendition; fps: number | null; segments?: MediaSegment[] }): Promise<MasterVariant> {
  const dir = path.join(out, "hls", rendition.name);
  const videoCodec = (await initSegmentCodec(path.join(dir, INIT_SEGMENT))) ?? rendition.videoCodec;
  return { rendition, playlist: `${rendition.name}/index.m3u8`, ...(await measureSegments(dir, segments)), videoCodec, fps };
}

async function measureAudio(out: string, segments?: MediaSegment[]): Promise<MasterAudio> {
  const dir = path.join(out, "hls", AUDIO_RENDITION);
  const codec = (await initSegmentCodec(path.join(dir, INIT_SEGMENT))) ?? AAC_LC;
  return { playlist: `${AUDIO_RENDITION}/index.m3u8`, ...(await measureSegments(dir, segments)), codec };
}

async function filesUnder(out: string, dir: string): Promise<string[]> {
  return (await readdir(path.join(out, dir))).map((name) => `${dir}/${name}`);
}

/** The duration of a rendition's media playlist, or undefined when it has no segments. */
async function playedSeconds(out: string, rendition: string): Promise<number | undefined> {
  const seconds = playlistDuration(parseMediaPlaylist(await readFile(path.join(out, renditionPlaylist(rendition)), "utf8")));
  return seconds > 0 ? seconds : undefined;
}
