/**
 * What an instructor reads when ffprobe or ffmpeg fails: plain words for the
 * errors uploads really cause, never ffmpeg's `[demuxer @ 0x…]` internals or
 * the worker's file paths.
 */
const REASONS: { pattern: RegExp; reason: string | ((match: RegExpMatchArray) => string) }[] = [
  {
    pattern: /moov atom not found/i,
    reason: "The file is incomplete: it ends before the video index. Upload the whole file again.",
  },
  {
    pattern: /EBML header parsing failed/i,
    reason: "The file is not a video we can read: its WebM/Matroska header is damaged or missing. Upload the original file again.",
  },
  {
    pattern: /Protocol '[^']*' not on whitelist|Unsafe file name/i,
    reason: "The file points to other files or network addresses (a playlist or a reference file), which are never followed. Upload the video file itself.",
  },
  {
    pattern: /Decoder \(codec ([\w-]+)\) not found|unknown codec|codec ([\w-]+) is not (?:supported|implemented)|not yet implemented in FFmpeg/i,
    reason: (match) => {
      const codec = [match[1], match[2]].find((name) => name && name !== "none" && name !== "unknown");
      return `The video uses a codec we cannot decode${codec ? ` (${codec})` : ""}. Export it as H.264, HEVC, VP9 or AV1 and upload again.`;
    },
  },
  {
    pattern: /matches no streams|does not contain any stream|no video stream/i,
    reason: "The file has no video track we can read.",
  },
  {
    pattern: /No space left on device/i,
    reason: "The processing worker ran out of disk space.",
  },
  {
    pattern: /partial file|Invalid NAL unit|Error while decoding|corrupt|Error splitting the input/i,
    reason: "The video is damaged: parts of it cannot be decoded. Upload the original file again.",
  },
  {
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

/** The plain reason for ffprobe's or ffmpeg's stderr: the first known cause, else ffmpeg's first error in cleaned words. */
export function plainFailureReason(stderr: string): string {
  for (const { pattern, reason } of REASONS) {
    const match = pattern.exec(stderr);
    if (match) return typeof reason === "string" ? reason : reason(match);
  }
  const first = stderr
    .split("\n")
    .map(cleanFfmpegLine)
    .find(Boolean);
  return first ? `The video could not be processed (${first.replace(/\.$/, "")}).` : "The video could not be processed.";
}
