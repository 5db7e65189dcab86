import type { Rendition } from "./ladder";
import { type Demuxer, type Probe, untrustedInputArgs } from "./probe";
import type { StoryboardPlan } from "./storyboard";

export const SEGMENT_SECONDS = 6;
const KEYFRAME_SECONDS = 2;

/**
 * One ffmpeg run decodes the source once and encodes every rendition plus the
 * storyboard's frames: split → scale per rung → H.264/AAC HLS (MPEG-TS, ~6 s
 * segments, keyframes forced every 2 s so renditions switch cleanly).
 */
export function ladderArgs({
  input,
  demuxer,
  outputDir,
  framesDir,
  renditions,
  hasAudio,
  fps,
  storyboard,
  preset = "veryfast",
}: {
  input: string;
  /** The accepted demuxer the probe found: the upload is read with that one only. */
  demuxer: Demuxer;
  outputDir: string;
  /** Where the storyboard's frames go, one small JPEG each, for `storyboardArgs` to tile. */
  framesDir: string;
  renditions: Rendition[];
  hasAudio: boolean;
  /** The rate to encode at (the probe's `fps`); null leaves it to ffmpeg. */
  fps: number | null;
  storyboard: StoryboardPlan;
  preset?: string;
}): string[] {
  const branches = renditions.length + 1;
  const splits = Array.from({ length: branches }, (_, index) => `[s${index}]`).join("");
  const filters = [`[0:v:0]split=${branches}${splits}`];
  renditions.forEach((rendition, index) => {
    filters.push(`[s${index}]scale=${rendition.width}:${rendition.height},setsar=1,format=yuv420p[v${index}]`);
  });
  // Frames, not a tile: a tile filter holds its output until the sprite is full, and newer ffmpeg then reports no progress at all.
  const { interval, tileWidth, tileHeight } = storyboard;
  filters.push(`[s${renditions.length}]fps=1/${interval},scale=${tileWidth}:${tileHeight},setsar=1[sb]`);

  const args = ["-y", ...untrustedInputArgs({ input, demuxer }), "-filter_complex", filters.join(";")];
  renditions.forEach((rendition, index) => {
    const dir = `${outputDir}/hls/${rendition.name}`;
    args.push(
      "-map",
      `[v${index}]`,
      ...(hasAudio ? ["-map", "0:a:0", "-c:a", "aac", "-b:a", String(rendition.audioBitrate), "-ac", "2", "-ar", "48000"] : []),
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
      "-f",
      "hls",
      "-hls_time",
      String(SEGMENT_SECONDS),
      "-hls_playlist_type",
      "vod",
      "-hls_segment_filename",
      `${dir}/segment_%04d.ts`,
      `${dir}/index.m3u8`,
    );
  });
  args.push("-map", "[sb]", "-q:v", "5", `${framesDir}/%05d.jpg`);
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
