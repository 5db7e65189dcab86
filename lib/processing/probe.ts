import { z } from "zod";
import { FfmpegError, runFfprobe } from "./ffmpeg";

/** A file that is not a video we can process: retrying will not help. */
export class UnprocessableVideoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnprocessableVideoError";
  }
}

export type Probe = {
  durationSeconds: number;
  /** Display size: sample aspect ratio and rotation applied, as players show it. */
  width: number;
  height: number;
  videoCodec: string;
  audioCodec: string | null;
  bitrate: number | null;
  fps: number | null;
  audio: { codec: string; channels: number | null; sampleRate: number | null } | null;
  container: string;
};

const numeric = z.union([z.string(), z.number()]).optional();

const streamSchema = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  sample_aspect_ratio: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  duration: numeric,
  bit_rate: numeric,
  channels: z.number().optional(),
  sample_rate: numeric,
  disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ rotation: z.number().optional() }).partial()).optional(),
});

const outputSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z.object({ format_name: z.string().optional(), duration: numeric, bit_rate: numeric }).partial().optional(),
});

const toNumber = (value: string | number | undefined) => {
  const number = typeof value === "number" ? value : value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : null;
};

function rate(value: string | undefined): number | null {
  const [numerator, denominator] = (value ?? "").split("/").map(Number);
  if (!numerator || !denominator) return null;
  return Math.round((numerator / denominator) * 1000) / 1000;
}

/** Reads what ffprobe knows of the file; not trusting the declared content type, anything without a decodable video track is refused. */
export async function probeVideo({ ffprobe, path }: { ffprobe: string; path: string }): Promise<Probe> {
  let stdout: string;
  try {
    stdout = await runFfprobe({ binary: ffprobe, args: ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path] });
  } catch (error) {
    if (error instanceof FfmpegError && error.reason === "exit") {
      const reason = error.message.replace(/^ffprobe exited with \d+: /, "").replace(`${path}: `, "").replace(path, "the file");
      throw new UnprocessableVideoError(`The file is not a video we can read (${reason}).`);
    }
    throw error;
  }
  const parsed = outputSchema.safeParse(JSON.parse(stdout));
  if (!parsed.success) throw new UnprocessableVideoError("The file is not a video we can read (unexpected probe output).");
  const { streams, format } = parsed.data;
  const video = streams.find((stream) => stream.codec_type === "video" && !stream.disposition?.attached_pic);
  if (!video?.width || !video.height || !video.codec_name) {
    throw new UnprocessableVideoError("The file has no video track we can read.");
  }
  const duration = toNumber(format?.duration) ?? toNumber(video.duration);
  if (!duration || duration <= 0) throw new UnprocessableVideoError("The video has no duration (is it a still image or an empty file?).");

  const [sarNumerator, sarDenominator] = (video.sample_aspect_ratio ?? "1:1").split(":").map(Number);
  const sar = sarNumerator && sarDenominator ? sarNumerator / sarDenominator : 1;
  let width = Math.round(video.width * sar);
  let height = video.height;
  const rotation = toNumber(video.tags?.rotate) ?? video.side_data_list?.find((data) => data.rotation !== undefined)?.rotation ?? 0;
  if (Math.abs(rotation) % 180 === 90) [width, height] = [height, width];

  const audio = streams.find((stream) => stream.codec_type === "audio");
  return {
    durationSeconds: duration,
    width,
    height,
    videoCodec: video.codec_name,
    audioCodec: audio?.codec_name ?? null,
    bitrate: toNumber(format?.bit_rate) ?? toNumber(video.bit_rate),
    fps: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate),
    audio: audio?.codec_name ? { codec: audio.codec_name, channels: audio.channels ?? null, sampleRate: toNumber(audio.sample_rate) } : null,
    container: format?.format_name ?? "unknown",
  };
}
