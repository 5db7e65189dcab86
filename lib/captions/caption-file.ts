import { checkCues } from "./cue-checks";
import { type CaptionDocument, type CaptionIssue, type Cue, cuesOf, MAX_REPORTED_ISSUES } from "./document";
import { checkCaptionSize, decodeCaptionBytes } from "./encoding";
import { parseSrt } from "./srt";
import { parseWebVtt, writeWebVtt } from "./webvtt";

export const CAPTION_FORMATS = ["vtt", "srt"] as const;
export type CaptionFormat = (typeof CAPTION_FORMATS)[number];

export type CaptionFile = { document: CaptionDocument; cues: Cue[]; webvtt: string };
export type CaptionFileResult = { ok: true; file: CaptionFile } | { ok: false; errors: CaptionIssue[] };

/**
 * An uploaded caption file (bytes as sent, or text from a JSON body) checked from end to end and turned into the
 * WebVTT we store: encoding and size, syntax (WebVTT or SRT), then the rules between cues and the video's duration.
 */
export function readCaptionFile({
  content,
  format,
  durationSeconds,
}: {
  content: Uint8Array | string;
  format: CaptionFormat;
  durationSeconds?: number | null;
}): CaptionFileResult {
  let text: string;
  if (typeof content === "string") {
    const tooLarge = checkCaptionSize(content);
    if (tooLarge) return { ok: false, errors: [tooLarge] };
    text = content.replace(/^\uFEFF/, "");
    if (text.includes("\u0000")) return { ok: false, errors: [{ line: null, message: "The file contains a NUL character." }] };
  } else {
    const decoded = decodeCaptionBytes(content);
    if (!decoded.ok) return decoded;
    text = decoded.text;
  }
  const parsed = format === "srt" ? parseSrt(text) : parseWebVtt(text);
  const cues = cuesOf(parsed.document);
  if (format === "srt" && cues.length === 0 && parsed.errors.length === 0) return { ok: false, errors: [{ line: null, message: "The file has no subtitles." }] };
  // Syntax and the rules between the cues that parsed, in the order of the file.
  const errors = [...parsed.errors, ...checkCues(cues, { durationSeconds })].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_REPORTED_ISSUES) };
  return { ok: true, file: { document: parsed.document, cues, webvtt: writeWebVtt(parsed.document) } };
}
