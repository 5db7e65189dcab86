/**
 * What an instructor reads when ffprobe or ffmpeg fails: plain words for the
 * errors uploads really cause, never ffmpeg's `[demuxer @ 0x…]` internals or
 * the worker's file paths.
 */
/**
 * Why processing failed, as a short code: the label of the failure metric (`lectern_processing_failures_total`).
 * The first ones are the causes recognised in ffmpeg's output below; then the limits and checks of the probe, the
 * time limits on ffmpeg, a worker that died mid-job, and anything else.
 */
export const FAILURE_REASONS = [
  "incomplete-file",
  "damaged-header",
  "external-references",
  "unsupported-codec",
  "no-video-track",
  "disk-full",
  "damaged",
  "not-a-video",
  "unreadable",
  "over-limits",
  "no-duration",
  "timeout",
  "stalled",
  "worker-lost",
  "internal",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

const REASONS: { code: FailureReason; pattern: RegExp; reason: string | ((match: RegExpMatchArray) => string) }[] = [
  {
    code: "incomplete-file",
    pattern: /moov atom not found/i,
    reason: "The file is incomplete: it ends before the video index. Upload the whole file again.",
  },
  {
    code: "damaged-header",
    pattern: /EBML header parsing failed/i,
    reason: "The file is not a video we can read: its WebM/Matroska header is damaged or missing. Upload the original file again.",
  },
  {
    code: "external-references",
    pattern: /Protocol '[^']*' not on whitelist|Unsafe file name/i,
    reason: "The file points to other files or network addresses (a playlist or a reference file), which are never followed. Upload the video file itself.",
  },
  {
    code: "unsupported-codec",
    pattern: /Decoder \(codec ([\w-]+)\) not found|unknown codec|codec ([\w-]+) is not (?:supported|implemented)|not yet implemented in FFmpeg/i,
    reason: (match) => {
      const codec = [match[1], match[2]].find((name) => name && name !== "none" && name !== "unknown");
      return `The video uses a codec we cannot decode${codec ? ` (${codec})` : ""}. Export it as H.264, HEVC, VP9 or AV1 and upload again.`;
    },
  },
  {
    code: "no-video-track",
    pattern: /matches no streams|does not contain any stream|no video stream/i,
    reason: "The file has no video track we can read.",
  },
  {
    code: "disk-full",
    pattern: /No space left on device/i,
    reason: "The processing worker ran out of disk space.",
  },
  {
    code: "damaged",
    pattern: /partial file|Invalid NAL unit|Error while decoding|corrupt|Error splitting the input/i,
    reason: "The video is damaged: parts of it cannot be decoded. Upload the original file again.",
  },
  {
    code: "not-a-video",
    pattern: /Format not on whitelist|Invalid data found when processing input|could not find codec parameters for stream 0 \(Video/i,
    reason: "The file is not a video we can read: it is not an MP4, MOV, WebM, Matroska or AVI video, or it is damaged.",
  },
];

/** One line of ffmpeg's stderr without its `[name @ 0x…]` prefixes and with paths reduced to file names. */
export function cleanFfmpegLine(line: string): string {
  return line
    .replace(/\[[^\]]*@ 0x[0-9a-f]+\]\s*/gi, "")
    .replace(/(?:\/[^\s/:'"]+)+\/([^\s/:'"]+)/g, "$1")
    .trim();
}

/** The cause in ffprobe's or ffmpeg's stderr: the first known one, else "unreadable" with ffmpeg's first error in cleaned words. */
export function classifyFailure(stderr: string): { code: FailureReason; message: string } {
  for (const { code, pattern, reason } of REASONS) {
    const match = pattern.exec(stderr);
    if (match) return { code, message: typeof reason === "string" ? reason : reason(match) };
  }
  const first = stderr
    .split("\n")
    .map(cleanFfmpegLine)
    .find(Boolean);
  return { code: "unreadable", message: first ? `The video could not be processed (${first.replace(/\.$/, "")}).` : "The video could not be processed." };
}

/** The plain reason for ffprobe's or ffmpeg's stderr (what an instructor reads). */
export function plainFailureReason(stderr: string): string {
  return classifyFailure(stderr).message;
}
