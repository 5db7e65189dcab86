import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { MASTER_PLAYLIST, POSTER, STORYBOARD_SPRITE, STORYBOARD_VTT } from "@/lib/videos/media-paths";
import { ladderArgs, posterArgs, storyboardArgs } from "./commands";
import { type Binaries, runFfmpeg } from "./ffmpeg";
import { planLadder } from "./ladder";
import { masterPlaylist, type MasterVariant, measureBandwidth, parseMediaPlaylist, playlistDuration } from "./playlists";
import { type MediaLimits, type Probe, probeVideo } from "./probe";
import { planStoryboard, type StoryboardPlan, storyboardVtt } from "./storyboard";

export type TranscodeStage = "probing" | "transcoding";

/** The outputs of one run, in `outDir` with the layout they are published under. */
export type Transcoded = {
  outDir: string;
  probe: Probe;
  /** What really plays (measured from the renditions), which may be less than the probe's figure. */
  durationSeconds: number;
  storyboard: StoryboardPlan;
  variants: MasterVariant[];
};

/** A hung ffmpeg is stopped after 2 minutes plus 10× the video's duration (a generous bound for 2 cores), at most 22 h. */
const timeoutFor = (durationSeconds: number) => Math.min(22 * 3_600_000, 120_000 + durationSeconds * 10_000);

/**
 * Probes a local source and writes the HLS ladder, poster, storyboard and master playlist into `workDir/out`.
 * Files only: no database, no storage. Progress runs from 3 % (probing) to 90 % (transcoded).
 */
export async function transcode({
  binaries,
  source,
  workDir,
  stallMs,
  preset,
  limits,
  signal,
  onProgress,
}: {
  binaries: Binaries;
  source: string;
  workDir: string;
  /** ffmpeg is killed after this long without progress. */
  stallMs: number;
  preset?: string;
  limits?: MediaLimits;
  signal: AbortSignal;
  onProgress: (stage: TranscodeStage, percent: number) => void;
}): Promise<Transcoded> {
  onProgress("probing", 3);
  const probe = await probeVideo({ ffprobe: binaries.ffprobe, path: source, limits });
  const renditions = planLadder(probe);
  const out = path.join(workDir, "out");
  const framesDir = path.join(workDir, "storyboard-frames");
  for (const rendition of renditions) await mkdir(path.join(out, "hls", rendition.name), { recursive: true });
  await mkdir(framesDir);

  onProgress("transcoding", 5);
  const ffmpegLimits = { timeoutMs: timeoutFor(probe.durationSeconds), stallMs, signal };
  await runFfmpeg({
    binary: binaries.ffmpeg,
    args: posterArgs({ input: source, output: path.join(out, POSTER), probe }),
    ...ffmpegLimits,
  });
  const plannedStoryboard = planStoryboard(probe);
  await runFfmpeg({
    binary: binaries.ffmpeg,
    args: ladderArgs({
      input: source,
      demuxer: probe.demuxer,
      outputDir: out,
      framesDir,
      renditions,
      hasAudio: probe.audio !== null,
      fps: probe.fps,
      storyboard: plannedStoryboard,
      preset,
    }),
    ...ffmpegLimits,
    onProgress: (seconds) => onProgress("transcoding", 5 + 85 * Math.min(1, seconds / probe.durationSeconds)),
  });
  // What really plays: a file cut short behind an intact index (MP4 with faststart) plays less than its header says.
  const durationSeconds = (await playedSeconds(out, renditions[0]?.name)) ?? probe.durationSeconds;
  // The plan's tile count, corrected to the frames ffmpeg's fps filter really produced.
  const frames = (await readdir(framesDir)).length;
  const storyboard = planStoryboard({ ...probe, durationSeconds, frames, interval: plannedStoryboard.interval });
  await runFfmpeg({
    binary: binaries.ffmpeg,
    args: storyboardArgs({ framesDir, count: storyboard.count, columns: storyboard.columns, output: path.join(out, STORYBOARD_SPRITE) }),
    ...ffmpegLimits,
  });
  await writeFile(path.join(out, STORYBOARD_VTT), storyboardVtt({ plan: storyboard, durationSeconds, sprite: STORYBOARD_SPRITE }));

  const variants: MasterVariant[] = [];
  for (const rendition of renditions) {
    const dir = path.join(out, "hls", rendition.name);
    const segments = parseMediaPlaylist(await readFile(path.join(dir, "index.m3u8"), "utf8"));
    const sized = await Promise.all(segments.map(async (segment) => ({ duration: segment.duration, bytes: (await stat(path.join(dir, segment.uri))).size })));
    variants.push({ rendition, playlist: `${rendition.name}/index.m3u8`, ...measureBandwidth(sized), hasAudio: probe.audio !== null, fps: probe.fps });
  }
  await writeFile(path.join(out, MASTER_PLAYLIST), masterPlaylist(variants));
  return { outDir: out, probe, durationSeconds, storyboard, variants };
}

/** The duration of a rendition's media playlist, or undefined when it has no segments. */
async function playedSeconds(out: string, rendition: string | undefined): Promise<number | undefined> {
  if (!rendition) return undefined;
  const seconds = playlistDuration(parseMediaPlaylist(await readFile(path.join(out, "hls", rendition, "index.m3u8"), "utf8")));
  return seconds > 0 ? seconds : undefined;
}
