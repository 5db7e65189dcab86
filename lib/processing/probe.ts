import { open } from "node:fs/promises";
import { z } from "zod";
import { FfmpegError, runFfprobe } from "./ffmpeg";
import { classifyFailure, type FailureReason, plainFailureReason } from "./failure-reasons";

/** A file that is not a video we can process: retrying will not help. */
export class UnprocessableVideoError extends Error {
  constructor(
    message: string,
    /** The failure metric's label. */
    readonly code: FailureReason = "not-a-video",
  ) {
    super(message);
    this.name = "UnprocessableVideoError";
  }
}

/** The demuxers of the containers we accept (MP4/MOV, WebM/Matroska, AVI): nothing else reads an upload. */
export const ACCEPTED_DEMUXERS = ["mov", "matroska", "avi"] as const;
export type Demuxer = (typeof ACCEPTED_DEMUXERS)[number];

/** An input that is the source's storage URL (presigned by us), not a file in the work directory. */
export const isRemoteInput = (input: string) => /^https?:\/\//.test(input);

/**
 * ffprobe/ffmpeg options placed before an untrusted input: local files and
 * pipes only (no http, no other protocols a playlist could point at), and only
 * the accepted demuxers (no HLS, concat or image sequence that opens other files).
 * The source's own storage URL (ours, never the upload's words) is read over
 * HTTP(S); the accepted demuxers open nothing else, so nothing else is reached.
 */
export function untrustedInputArgs({ input, demuxer }: { input: string; demuxer?: Demuxer }): string[] {
  const protocols = isRemoteInput(input) ? "http,https,tcp,tls" : "file,pipe";
  return ["-protocol_whitelist", protocols, ...(demuxer ? ["-f", demuxer] : ["-format_whitelist", ACCEPTED_DEMUXERS.join(",")]), "-i", input];
}

/** The accepted demuxer that read a file, from ffprobe's format_name ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi"). */
export function acceptedDemuxer(formatName: string): Demuxer | undefined {
  const names = formatName.split(",");
  return ACCEPTED_DEMUXERS.find((demuxer) => names.includes(demuxer));
}

export type MediaLimits = { maxSidePixels: number; maxFps: number; maxDurationSeconds: number };
export const DEFAULT_MEDIA_LIMITS: MediaLimits = { maxSidePixels: 8192, maxFps: 240, maxDurationSeconds: 12 * 3600 };

export type Probe = {
  durationSeconds: number;
  /** Display size: sample aspect ratio and rotation applied, as players show it. */
  width: number;
  height: number;
  videoCodec: string;
  audioCodec: string | null;
  bitrate: number | null;
  /** The frame rate ffmpeg encodes at (the peak for variable frame rates): what HLS FRAME-RATE states. */
  fps: number | null;
  audio: { codec: string; channels: number | null; sampleRate: number | null; profile?: string | null } | null;
  /** What decides whether browsers play the video stream as it is (see `passthroughRefusal`). */
  stream?: {
    profile: string | null;
    /** H.264: 31 for level 3.1. */
    level: number | null;
    pixelFormat: string | null;
    fieldOrder: string | null;
    squarePixels: boolean;
    rotation: number;
    bitrate: number | null;
  };
  container: string;
  demuxer: Demuxer;
};

const numeric = z.union([z.string(), z.number()]).optional();

const streamSchema = z.object({
  index: z.number().optional(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  codec_tag_string: z.string().optional(),
  profile: z.string().optional(),
  level: z.number().optional(),
  pix_fmt: z.string().optional(),
  field_order: z.string().optional(),
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
  format: z.object({ format_name: z.string().optional(), duration: numeric, bit_rate: numeric, start_time: numeric }).partial().optional(),
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

/** Frame rates a measured average is rounded up to (a recording at 30 fps that dropped frames is still 30). */
const COMMON_RATES = [10, 12, 15, 20, 24, 25, 30, 48, 50, 60];

/** A container's time base posing as a frame rate: WebM from MediaRecorder says 1000/1, with no average. */
export function frameRateIsTimeBase({ avg_frame_rate, r_frame_rate }: { avg_frame_rate?: string; r_frame_rate?: string }): boolean {
  const average = rate(avg_frame_rate);
  const real = rate(r_frame_rate);
  return average === null && (real === null || real > 210);
}

/**
 * The rate the HLS renditions are encoded at (stated as FRAME-RATE, which HLS
 * wants as the peak). As ffmpeg guesses it (av_guess_frame_rate):
 * r_frame_rate, the rate every timestamp fits (a variable-frame-rate source's
 * peak, not its average), unless that is a container's time base (above 210
 * with an average below 70), then the average. When the container states no
 * average at all, `measuredAverage` (frames ÷ duration, counted from the
 * packets) stands in, rounded up to a common rate: left to itself ffmpeg
 * would encode a browser recording at 1000 fps.
 */
export function outputFrameRate({
  avg_frame_rate,
  r_frame_rate,
  measuredAverage,
}: {
  avg_frame_rate?: string;
  r_frame_rate?: string;
  measuredAverage?: number;
}): number | null {
  const real = rate(r_frame_rate);
  let average = rate(avg_frame_rate);
  if (average === null && measuredAverage && Number.isFinite(measuredAverage)) {
    average = COMMON_RATES.find((common) => common >= measuredAverage * 0.95) ?? Math.round(measuredAverage * 1000) / 1000;
    if (real === null || real > 210) return average;
  }
  if (real === null) return average;
  if (average !== null && real > 210 && average < 70) return average;
  return real;
}

/** "12 h", "13 h 05 min", "5 min 03 s", "3 s". */
function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const [hours, minutes, secs] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (value: number) => String(value).padStart(2, "0");
  if (hours > 0) return minutes > 0 ? `${hours} h ${two(minutes)} min` : `${hours} h`;
  if (minutes > 0) return secs > 0 ? `${minutes} min ${two(secs)} s` : `${minutes} min`;
  return `${secs} s`;
}

/** Refuses, before any transcoding, a video too large, too fast or too long to process. */
export function checkLimits({ probe, codedWidth, codedHeight, limits }: { probe: Probe; codedWidth: number; codedHeight: number; limits: MediaLimits }) {
  const side = Math.max(probe.width, probe.height, codedWidth, codedHeight);
  if (side > limits.maxSidePixels) {
    throw new UnprocessableVideoError(
      `The video is too large: ${probe.width}×${probe.height} pixels, and at most ${limits.maxSidePixels} pixels per side are accepted. Export it at a smaller size and upload again.`,
      "over-limits",
    );
  }
  if (probe.fps !== null && probe.fps > limits.maxFps) {
    throw new UnprocessableVideoError(
      `The video's frame rate is too high: ${probe.fps} frames per second, and at most ${limits.maxFps} are accepted. Export it at a lower frame rate and upload again.`,
      "over-limits",
    );
  }
  if (probe.durationSeconds > limits.maxDurationSeconds) {
    throw new UnprocessableVideoError(
      `The video is too long: ${formatDuration(probe.durationSeconds)}, and at most ${formatDuration(limits.maxDurationSeconds)} are accepted. Split it into shorter videos and upload them.`,
      "over-limits",
    );
  }
}

/** The file's first bytes, to name what it is when no accepted demuxer reads it. */
async function head(path: string): Promise<string> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString("latin1");
  } catch {
    return "";
  } finally {
    await file.close();
  }
}

/**
 * Duration and video frame count from the packets, for what the header does
 * not state (MediaRecorder's WebM: no Duration, no Cues, no frame rate): the
 * end of the last packet and the packets of the video stream. Demuxing only,
 * no decoding; ffprobe's listing is read line by line, never held whole.
 */
async function packetStats({ ffprobe, path, demuxer, videoIndex }: { ffprobe: string; path: string; demuxer: Demuxer; videoIndex: number | undefined }) {
  let first = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let videoPackets = 0;
  await runFfprobe({
    binary: ffprobe,
    args: ["-v", "error", "-show_entries", "packet=stream_index,pts_time,duration_time", "-of", "csv=p=0", ...untrustedInputArgs({ input: path, demuxer })],
    timeoutMs: 10 * 60_000,
    onLine: (line) => {
      const [index, pts, duration] = line.split(",").map(Number);
      if (pts === undefined || !Number.isFinite(pts)) return;
      if (index === videoIndex) videoPackets++;
      first = Math.min(first, pts);
      end = Math.max(end, pts + (duration !== undefined && Number.isFinite(duration) ? duration : 0));
    },
  });
  return { durationSeconds: end > first ? Math.round((end - first) * 1000) / 1000 : null, videoPackets };
}

/** Reads what ffprobe knows of the file; not trusting the declared content type, anything without a decodable video track is refused. */
export async function probeVideo({ ffprobe, path, limits = DEFAULT_MEDIA_LIMITS }: { ffprobe: string; path: string; limits?: MediaLimits }): Promise<Probe> {
  let stdout: string;
  try {
    stdout = await runFfprobe({ binary: ffprobe, args: ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", ...untrustedInputArgs({ input: path })] });
  } catch (error) {
    if (error instanceof FfmpegError && error.reason === "exit") {
      const start = await head(path);
      if (/^(\uFEFF)?#EXTM3U|^ffconcat/.test(start)) {
        throw new UnprocessableVideoError("The file is a playlist that points to other files or addresses, not a video. Upload the video file itself.", "external-references");
      }
      const { message, code } = classifyFailure(error.stderr);
      throw new UnprocessableVideoError(message, code);
    }
    throw error;
  }
  const parsed = outputSchema.safeParse(JSON.parse(stdout));
  if (!parsed.success) throw new UnprocessableVideoError("The file is not a video we can read (unexpected probe output).");
  const { streams, format } = parsed.data;
  const demuxer = acceptedDemuxer(format?.format_name ?? "");
  if (!demuxer) throw new UnprocessableVideoError(plainFailureReason("Format not on whitelist"));
  const video = streams.find((stream) => stream.codec_type === "video" && !stream.disposition?.attached_pic);
  if (video?.width && video.height && !video.codec_name) {
    // A video track in a codec this ffmpeg does not know (ffprobe names only its tag).
    throw new UnprocessableVideoError(plainFailureReason(`Decoder (codec ${video.codec_tag_string ?? "unknown"}) not found`), "unsupported-codec");
  }
  if (!video?.width || !video.height || !video.codec_name) {
    throw new UnprocessableVideoError("The file has no video track we can read.", "no-video-track");
  }
  const declared = toNumber(format?.duration) ?? toNumber(video.duration);
  const packets = declared === null || frameRateIsTimeBase(video) ? await packetStats({ ffprobe, path, demuxer, videoIndex: video.index }) : undefined;
  const duration = declared ?? packets?.durationSeconds ?? null;
  if (!duration || duration <= 0) throw new UnprocessableVideoError("The video has no duration (is it a still image or an empty file?).", "no-duration");

  const [sarNumerator, sarDenominator] = (video.sample_aspect_ratio ?? "1:1").split(":").map(Number);
  const sar = sarNumerator && sarDenominator ? sarNumerator / sarDenominator : 1;
  let width = Math.round(video.width * sar);
  let height = video.height;
  const rotation = toNumber(video.tags?.rotate) ?? video.side_data_list?.find((data) => data.rotation !== undefined)?.rotation ?? 0;
  if (Math.abs(rotation) % 180 === 90) [width, height] = [height, width];

  const audio = streams.find((stream) => stream.codec_type === "audio");
  const probe: Probe = {
    durationSeconds: duration,
    width,
    height,
    videoCodec: video.codec_name,
    audioCodec: audio?.codec_name ?? null,
    bitrate: toNumber(format?.bit_rate) ?? toNumber(video.bit_rate),
    fps: outputFrameRate({ ...video, measuredAverage: packets && duration ? packets.videoPackets / duration : undefined }),
    audio: audio?.codec_name
      ? { codec: audio.codec_name, channels: audio.channels ?? null, sampleRate: toNumber(audio.sample_rate), profile: audio.profile ?? null }
      : null,
    stream: {
      profile: video.profile ?? null,
      level: video.level ?? null,
      pixelFormat: video.pix_fmt ?? null,
      fieldOrder: video.field_order ?? null,
      squarePixels: sar === 1,
      rotation,
      bitrate: toNumber(video.bit_rate),
    },
    container: format?.format_name ?? "unknown",
    demuxer,
  };
  checkLimits({ probe, codedWidth: video.width, codedHeight: video.height, limits });
  return probe;
}
