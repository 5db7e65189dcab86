import { checkCueSettings } from "./cue-settings";
import { type CaptionBlock, type CaptionDocument, type CaptionIssue, type CaptionParseResult, type Cue, splitLines } from "./document";
import { formatWebVttTimestamp, parseWebVttTimestamp } from "./timestamp";

/** The file signature: `WEBVTT` alone, or followed by a space or tab and any text (W3C WebVTT, file body). */
const SIGNATURE = /^WEBVTT([ \t].*)?$/;
const ARROW = "-->";
/** A timing line: two timestamps around `-->` (the spec's parser allows no space around it), then the settings. */
const TIMING = /^(\S+?)[ \t]*-->[ \t]*(\S+)(?:[ \t]+(.*))?$/;
const isBlank = (line: string) => line.trim() === "";

type Line = { text: string; number: number };

/**
 * Parses and validates a WebVTT file (its text, BOM already removed): the header, cues (identifier, timing,
 * settings, payload), NOTE, STYLE and REGION blocks. Every problem is reported with its line, where the spec's
 * parser would silently drop or misread something.
 */
export function parseWebVtt(text: string): CaptionParseResult {
  const lines = splitLines(text);
  const errors: CaptionIssue[] = [];
  const first = lines[0] ?? "";
  if (!SIGNATURE.test(first)) {
    const hint = /^\d+$/.test(first.trim()) ? " This looks like an SRT file: send it as application/x-subrip (or format srt)." : "";
    return { document: { header: [""], blocks: [] }, errors: [{ line: 1, message: `A WebVTT file must start with "WEBVTT".${hint}` }] };
  }
  if (first.includes(ARROW)) errors.push({ line: 1, message: `The WEBVTT line cannot contain "${ARROW}".` });

  const header = [first.slice("WEBVTT".length).trim()];
  let index = 1;
  // Header lines run to the first blank line; a timing line there starts the cues (as browsers read it).
  for (; index < lines.length && !isBlank(lines[index] ?? ""); index++) {
    const line = lines[index] ?? "";
    if (line.includes(ARROW)) break;
    if (!line.startsWith("X-TIMESTAMP-MAP")) header.push(line);
  }

  const blocks: CaptionBlock[] = [];
  let seenCue = false;
  for (const block of splitBlocks(lines, index)) {
    const head = block[0];
    if (!head) continue;
    const timingAt = block.findIndex((line) => line.text.includes(ARROW));
    if (timingAt === 0 || timingAt === 1) {
      const cue = parseCue(block, timingAt, errors);
      if (cue) blocks.push({ type: "cue", cue });
      seenCue = true;
      continue;
    }
    const keyword = /^(NOTE|STYLE|REGION)(?:[ \t]|$)/.exec(head.text)?.[1];
    if (keyword === "NOTE" && timingAt < 0) {
      blocks.push({ type: "note", text: block.map((line) => line.text).join("\n") });
    } else if ((keyword === "STYLE" || keyword === "REGION") && head.text.trim() === keyword && timingAt < 0) {
      if (seenCue) errors.push({ line: head.number, message: `${keyword} blocks must come before the first cue.` });
      else blocks.push({ type: keyword === "STYLE" ? "style" : "region", text: block.map((line) => line.text).join("\n") });
    } else if (timingAt > 1) {
      errors.push({ line: block[timingAt]?.number ?? head.number, message: `This timing line needs a blank line before it (line ${head.number} starts a block that is not a cue).` });
    } else {
      errors.push({
        line: head.number,
        message: "This block is not a cue (a cue needs a timing line such as 00:00:01.000 --> 00:00:04.000, after an optional identifier), nor a NOTE, STYLE or REGION block.",
      });
    }
  }
  return { document: { header, blocks }, errors };
}

/** Blocks are runs of non-blank lines; lines keep their 1-based numbers. */
export function splitBlocks(lines: string[], from: number): Line[][] {
  const blocks: Line[][] = [];
  let current: Line[] = [];
  for (let index = from; index < lines.length; index++) {
    const text = lines[index] ?? "";
    if (isBlank(text)) {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else current.push({ text, number: index + 1 });
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function parseCue(block: Line[], timingAt: number, errors: CaptionIssue[]): Cue | undefined {
  const timing = block[timingAt];
  if (!timing) return undefined;
  const before = errors.length;
  const match = TIMING.exec(timing.text.trim());
  if (!match) {
    errors.push({ line: timing.number, message: `Bad timing line: expected "start --> end" such as 00:00:01.000 --> 00:00:04.000.` });
    return undefined;
  }
  const [, startText = "", endText = "", settings = ""] = match;
  const start = parseWebVttTimestamp(startText);
  const end = parseWebVttTimestamp(endText);
  if (!start.ok) errors.push({ line: timing.number, message: start.message });
  if (!end.ok) errors.push({ line: timing.number, message: end.message });
  for (const problem of checkCueSettings(settings)) errors.push({ line: timing.number, message: problem });
  const payload = block.slice(timingAt + 1);
  for (const line of payload) {
    if (line.text.includes(ARROW)) errors.push({ line: line.number, message: `A cue's text cannot contain "${ARROW}": if this is the next cue's timing line, put a blank line before it.` });
  }
  if (errors.length > before || !start.ok || !end.ok) return undefined;
  return {
    ...(timingAt === 1 && block[0] ? { identifier: block[0].text } : {}),
    start: start.seconds,
    end: end.seconds,
    settings: settings.trim().split(/[ \t]+/).filter(Boolean).join(" "),
    text: payload.map((line) => line.text).join("\n"),
    line: timing.number,
  };
}

/** The document as a WebVTT file: LF line ends, timestamps as hh:mm:ss.ttt, blocks in their order. */
export function writeWebVtt(document: CaptionDocument): string {
  const [signature = "", ...headerLines] = document.header;
  const parts = [[signature ? `WEBVTT ${signature}` : "WEBVTT", ...headerLines].join("\n")];
  for (const block of document.blocks) parts.push(block.type === "cue" ? writeCue(block.cue) : block.text);
  return `${parts.join("\n\n")}\n`;
}

function writeCue(cue: Cue): string {
  const timing = `${formatWebVttTimestamp(cue.start)} --> ${formatWebVttTimestamp(cue.end)}${cue.settings ? ` ${cue.settings}` : ""}`;
  return [...(cue.identifier === undefined ? [] : [cue.identifier]), timing, ...(cue.text ? [cue.text] : [])].join("\n");
}
