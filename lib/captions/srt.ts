import { type CaptionIssue, type CaptionParseResult, type Cue, splitLines } from "./document";
import { parseSrtTimestamp } from "./timestamp";
import { splitBlocks } from "./webvtt";

/** `start --> end`, then perhaps the old SubRip box coordinates (`X1:… X2:… Y1:… Y2:…`), which WebVTT has no use for. */
const TIMING = /^(\S+?)[ \t]*-->[ \t]*(\S+)(?:[ \t]+X1:.*)?$/i;
const SRT_TAGS = /^<\/?(i|b|u)>$/i;

/**
 * Reads a SubRip file (text, BOM already removed) into a caption document: numbered blocks of a timing line with
 * comma milliseconds and the text. Numbers become cue identifiers; `<i>`, `<b>` and `<u>` stay, `<font>` and
 * `{\an8}`-style overrides go, and text that WebVTT would read as markup is escaped.
 */
export function parseSrt(text: string): CaptionParseResult {
  const errors: CaptionIssue[] = [];
  const cues: Cue[] = [];
  const identifiers = new Set<string>();
  for (const block of splitBlocks(splitLines(text), 0)) {
    const [first, second] = block;
    if (!first) continue;
    const numbered = /^\d+$/.test(first.text.trim());
    const timing = numbered ? second : first;
    if (!timing || !timing.text.includes("-->")) {
      const line = numbered ? (second?.number ?? first.number) : first.number;
      errors.push({
        line,
        message: numbered
          ? "Expected a timing line such as 00:00:01,000 --> 00:00:04,000 after the subtitle's number."
          : "This block is not a subtitle: expected its number, then a timing line such as 00:00:01,000 --> 00:00:04,000 (a blank line inside a subtitle's text also ends it).",
      });
      continue;
    }
    const match = TIMING.exec(timing.text.trim());
    if (!match) {
      errors.push({ line: timing.number, message: "Bad timing line: expected start --> end such as 00:00:01,000 --> 00:00:04,000." });
      continue;
    }
    const start = parseSrtTimestamp(match[1] ?? "");
    const end = parseSrtTimestamp(match[2] ?? "");
    if (!start.ok) errors.push({ line: timing.number, message: start.message });
    if (!end.ok) errors.push({ line: timing.number, message: end.message });
    if (!start.ok || !end.ok) continue;
    const payload = block.slice(numbered ? 2 : 1);
    const nextTiming = payload.find((line) => line.text.includes("-->") && TIMING.test(line.text.trim()));
    if (nextTiming) {
      errors.push({ line: nextTiming.number, message: "This timing line needs a blank line before it: the subtitle above has no end." });
      continue;
    }
    const identifier = numbered ? first.text.trim() : undefined;
    const unique = identifier !== undefined && !identifiers.has(identifier);
    if (identifier !== undefined) identifiers.add(identifier);
    cues.push({
      ...(unique ? { identifier } : {}),
      start: start.seconds,
      end: end.seconds,
      settings: "",
      text: payload.map((line) => convertText(line.text)).join("\n"),
      line: timing.number,
    });
  }
  return { document: { header: [""], blocks: cues.map((cue) => ({ type: "cue", cue })) }, errors };
}

/** One line of SRT text as WebVTT cue text. */
export function convertText(line: string): string {
  return line
    .replace(/\{\\[^}]*\}/g, "")
    .split(/(<\/?[a-z][^<>]*>)/i)
    .map((part, index) => {
      if (index % 2 === 1) return SRT_TAGS.test(part) ? part.toLowerCase() : "";
      return part.replace(/&(?!(amp|lt|gt|nbsp|lrm|rlm|#\d+|#x[0-9a-f]+);)/gi, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    })
    .join("");
}
