import type { Rendition } from "./ladder";
import { type Demuxer, type Probe, untrustedInputArgs } from "./probe";
import type { StoryboardPlan } from "./storyboard";
import { AUDIO_RENDITION, INIT_SEGMENT } from "@/lib/videos/media-paths";

export const SEGMENT_SECONDS = 6;
const KEYFRAME_SECONDS = 2;

/**
 * One CMAF rendition (fMP4 HLS): `dir/init.mp4`, `dir/segment_%04d.m4s`, `dir/index.m3u8` (EXT-X-VERSION 7 with
 * EXT-X-MAP). Both ffmpeg builds we run (the 2018 static one and Debian's 5.1) write this layout. A `growing`
 * rendition is published while it is written: its playlist is an EVENT one, rewritten after every segment, and
 * segments and playlist appear whole (written under a temporary name, then renamed), so what it lists is complete.
 */
export function cmafOutputArgs(dir: string, { growing = false }: { growing?: boolean } = {}): string[] {
  return [
    "-f",
    "hls",
    "-hls_segment_type",
    "fmp4",
    "-hls_fmp4_init_filename",
    INIT_SEGMENT,
    "-hls_time",
    String(SEGMENT_SECONDS),
    "-hls_playlist_type",
    growing ? "event" : "vod",
    ...(growing ? ["-hls_flags", "temp_file"] : []),
    "-hls_segment_filename",
    `${dir}/segment_%04d.m4s`,
    `${dir}/index.m3u8`,
  ];
}

/** How the audio rendition (`hls/audio/`) is made: copied from the source (AAC-LC), encoded to AAC, or not at all. */
export type AudioPlan = { mode: "copy" } | { mode: "encode"; bitrate: number } | { mode: "none" };

function audioArgs(outputDir: string, audio: AudioPlan, growing = false): string[] {
  if (audio.mode === "none") return [];
  const codec = audio.mode === "copy" ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", String(audio.bitrate), "-ac", "2", "-ar", "48000"];
  return ["-map", "0:a:0", "-vn", "-sn", "-dn", ...codec, ...cmafOutputArgs(`${outputDir}/hls/${AUDIO_RENDITION}`, { growing })];
}

/**
 * Passthrough: the source's H.264 copied as it is (no decoding) into a CMAF rendition `hls/<name>/`, and the audio
 * rendition beside it. Seconds for an hour of video: reading and writing the file is all it does. `input` may be the
 * source's (presigned) storage URL, read with range requests as ffmpeg goes; `growing` renditions are published while written.
 */
export function remuxArgs({
  input,
  demuxer,
  outputDir,
  rendition,
  audio,
  growing = false,
}: {
  input: string;
  demuxer: Demuxer;
  outputDir: string;
  rendition: Rendition;
  audio: AudioPlan;
  growing?: boolean;
}): string[] {
  return [
    "-y",
    ...untrustedInputArgs({ input, demuxer }),
    "-map",
    "0:v:0",
    "-an",
    "-sn",
    "-dn",
    "-c:v",
    "copy",
    ...cmafOutputArgs(`${outputDir}/hls/${rendition.name}`, { growing }),
    ...audioArgs(outputDir, audio, growing),
  ];
}

/** x264 options of one rung (capped CRF, keyframes every 2 s so renditions switch cleanly). */
function x264Args({ rendition, preset, fps }: { rendition: Rendition; preset: string; fps: number | null }): string[] {
  return [
    ...(fps ? ["-r", String(fps)] : []),
    "-c:v",
    "libx264",
    "-preset",
    preset,
    "-profile:v",
    "high",
    "-level:v",
    rendition.level,
    "-crf",
    "23",
    "-maxrate",
    String(rendition.maxBitrate),
    "-bufsize",
    String(rendition.maxBitrate * 2),
    "-force_key_frames",
    `expr:gte(t,n_forced*${KEYFRAME_SECONDS})`,
    "-sc_threshold",
    "0",
  ];
}

/**
 * One ffmpeg run decodes the source once and encodes the given rungs (video-only CMAF renditions), the audio
 * rendition when `audio` asks for it, and the storyboard's frames when `framesDir` is given.
 */
export function ladderArgs({
  input,
  demuxer,
  outputDir,
  framesDir,
  renditions,
  hasAudio,
  audio = hasAudio ? { mode: "encode", bitrate: renditions[0]?.audioBitrate ?? 128_000 } : { mode: "none" },
  fps,
  storyboard,
  preset = "veryfast",
}: {
  input: string;
  /** The accepted demuxer the probe found: the upload is read with that one only. */
  demuxer: Demuxer;
  outputDir: string;
  /** Where the storyboard's frames go, one small JPEG each, for `storyboardArgs` to tile; none without it. */
  framesDir?: string;
  renditions: Rendition[];
  /** The source has audio: the audio rendition is encoded in this run unless `audio` says otherwise. */
  hasAudio: boolean;
  audio?: AudioPlan;
  /** The rate to encode at (the probe's `fps`); null leaves it to ffmpeg. */
  fps: number | null;
  storyboard?: StoryboardPlan;
  preset?: string;
}): string[] {
  const frames = framesDir && storyboard ? { framesDir, storyboard } : undefined;
  const branches = renditions.length + (frames ? 1 : 0);
  const filters: string[] = [];
  if (branches > 0) filters.push(`[0:v:0]split=${branches}${Array.from({ length: branches }, (_, index) => `[s${index}]`).join("")}`);
  renditions.forEach((rendition, index) => {
    filters.push(`[s${index}]scale=${rendition.width}:${rendition.height},setsar=1,format=yuv420p[v${index}]`);
  });
  if (frames) {
    // Frames, not a tile: a tile filter holds its output until the sprite is full, and newer ffmpeg then reports no progress at all.
    const { interval, tileWidth, tileHeight } = frames.storyboard;
    filters.push(`[s${renditions.length}]fps=1/${interval},scale=${tileWidth}:${tileHeight},setsar=1[sb]`);
  }
  const args = ["-y", ...untrustedInputArgs({ input, demuxer }), ...(filters.length ? ["-filter_complex", filters.join(";")] : [])];
  renditions.forEach((rendition, index) => {
    args.push("-map", `[v${index}]`, "-an", "-sn", "-dn", ...x264Args({ rendition, preset, fps }), ...cmafOutputArgs(`${outputDir}/hls/${rendition.name}`));
  });
  args.push(...audioArgs(outputDir, audio));
  if (frames) args.push("-map", "[sb]", "-q:v", "5", `${frames.framesDir}/%05d.jpg`);
  return args;
}

/** Tiles the storyboard's frames into one sprite, `columns` across. */
export function storyboardArgs({ framesDir, count, columns, output }: { framesDir: string; count: number; columns: number; output: string }): string[] {
  const rows = Math.ceil(count / columns);
  return ["-y", "-framerate", "1", "-i", `${framesDir}/%05d.jpg`, "-vf", `tile=${columns}x${rows}:nb_frames=${count}:color=black`, "-frames:v", "1", "-q:v", "5", output];
}

const POSTER_MAX_WIDTH = 1280;
const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

/**
 * The poster: one frame a little way in (past fades from black), at the
 * display size (non-square pixels stretched out, as players show them), at
 * most 1280 px wide.
 */
export function posterArgs({
  input,
  output,
  probe,
}: {
  input: string;
  output: string;
  probe: Pick<Probe, "durationSeconds" | "width" | "height" | "demuxer">;
}): string[] {
  const at = Math.min(probe.durationSeconds / 3, 2);
  const width = even(Math.min(probe.width, POSTER_MAX_WIDTH));
  const height = even((probe.height * width) / probe.width);
  return ["-y", "-ss", at.toFixed(3), ...untrustedInputArgs({ input, demuxer: probe.demuxer }), "-frames:v", "1", "-vf", `scale=${width}:${height},setsar=1`, "-q:v", "3", output];
}
