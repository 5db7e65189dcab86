import { readCaptionFile } from "./caption-file";
import { splitLines } from "./document";
import { formatWebVttTimestamp, parseWebVttTimestamp } from "./timestamp";
import { parseWebVtt, writeWebVtt } from "./webvtt";

/**
 * The caption editor's model: a track's blocks in file order, cue times as the text the user types (so a
 * half-typed time is kept and reported, not lost). Pure, so the page and the tests share it; checked by writing
 * the draft as WebVTT and reading it with the server's own rules (readCaptionFile).
 */
export type DraftCue = { key: number; identifier?: string; start: string; end: string; settings: string; text: string };
export type DraftBlock = { type: "cue"; cue: DraftCue } | { type: "note" | "style" | "region"; text: string };
export type CaptionDraft = { header: string[]; blocks: DraftBlock[]; nextKey: number };

/** What is wrong with a draft: per cue (by key), and for the file as a whole. */
export type DraftIssues = { byCue: Map<number, string[]>; general: string[] };

/** A new cue lasts this long, or up to the next cue's start when that is sooner. */
export const NEW_CUE_SECONDS = 2;

const seconds = (value: string): number | undefined => {
  const parsed = parseWebVttTimestamp(value.trim());
  return parsed.ok ? parsed.seconds : undefined;
};
const round = (value: number) => Math.round(value * 1000) / 1000;

export function draftFromWebVtt(text: string): CaptionDraft {
  const { document } = parseWebVtt(text.replace(/^\uFEFF/, ""));
  let key = 0;
  const blocks: DraftBlock[] = document.blocks.map((block) =>
    block.type === "cue"
      ? {
          type: "cue",
          cue: {
            key: key++,
            ...(block.cue.identifier === undefined ? {} : { identifier: block.cue.identifier }),
            start: formatWebVttTimestamp(block.cue.start),
            end: formatWebVttTimestamp(block.cue.end),
            settings: block.cue.settings,
            text: block.cue.text,
          },
        }
      : block,
  );
  return { header: document.header, blocks, nextKey: key };
}

export const draftCues = (draft: CaptionDraft): DraftCue[] => draft.blocks.flatMap((block) => (block.type === "cue" ? [block.cue] : []));

/** The draft as a WebVTT file, and which cue each line of it belongs to. */
export function writeDraft(draft: CaptionDraft): { webvtt: string; cueAtLine: Map<number, number> } {
  const header = writeWebVtt({ header: draft.header, blocks: [] }).replace(/\n$/, "");
  const parts = [header];
  const cueAtLine = new Map<number, number>();
  let line = splitLines(header).length + 2;
  for (const block of draft.blocks) {
    const text =
      block.type === "cue"
        ? [...(block.cue.identifier === undefined ? [] : [block.cue.identifier]), `${block.cue.start.trim()} --> ${block.cue.end.trim()}${block.cue.settings ? ` ${block.cue.settings}` : ""}`, ...(block.cue.text ? [block.cue.text] : [])].join("\n")
        : block.text;
    const count = splitLines(text).length;
    if (block.type === "cue") for (let at = line; at < line + count; at++) cueAtLine.set(at, block.cue.key);
    parts.push(text);
    line += count + 1;
  }
  return { webvtt: `${parts.join("\n\n")}\n`, cueAtLine };
}

/** The server's checks on the draft (syntax, order, end after start, within the video), each message placed at its cue. */
export function checkDraft(draft: CaptionDraft, { durationSeconds }: { durationSeconds?: number | null }): DraftIssues {
  const { webvtt, cueAtLine } = writeDraft(draft);
  const byCue = new Map<number, string[]>();
  const general: string[] = [];
  const result = readCaptionFile({ content: webvtt, format: "vtt", durationSeconds });
  if (result.ok) return { byCue, general };
  // Around a blank line typed into a cue's text the file reads differently: the messages then name the line after it.
  const keyAt = (line: number | null) => (line === null ? undefined : (cueAtLine.get(line) ?? cueAtLine.get(line - 1)));
  for (const issue of result.errors) {
    const key = keyAt(issue.line);
    if (key === undefined) general.push(issue.message);
    else byCue.set(key, [...(byCue.get(key) ?? []), issue.message]);
  }
  return { byCue, general };
}

export const hasIssues = (issues: DraftIssues) => issues.general.length > 0 || issues.byCue.size > 0;

const mapCues = (draft: CaptionDraft, change: (cue: DraftCue) => DraftCue): CaptionDraft => ({
  ...draft,
  blocks: draft.blocks.map((block) => (block.type === "cue" ? { type: "cue", cue: change(block.cue) } : block)),
});

export function updateCue(draft: CaptionDraft, key: number, patch: Partial<Omit<DraftCue, "key">>): CaptionDraft {
  return mapCues(draft, (cue) => (cue.key === key ? { ...cue, ...patch } : cue));
}

export function deleteCue(draft: CaptionDraft, key: number): CaptionDraft {
  return { ...draft, blocks: draft.blocks.filter((block) => block.type !== "cue" || block.cue.key !== key) };
}

/** Every cue moves by `offset` seconds (never before 0); a time that does not parse is left for the user to fix. */
export function shiftCues(draft: CaptionDraft, offset: number): CaptionDraft {
  const move = (value: string) => {
    const at = seconds(value);
    return at === undefined ? value : formatWebVttTimestamp(Math.max(0, round(at + offset)));
  };
  return mapCues(draft, (cue) => ({ ...cue, start: move(cue.start), end: move(cue.end) }));
}

/** Splits a text in two near its middle: between lines when it has several, else between words. */
function splitText(text: string): [string, string] {
  const lines = text.split("\n");
  if (lines.length > 1) {
    const half = Math.ceil(lines.length / 2);
    return [lines.slice(0, half).join("\n"), lines.slice(half).join("\n")];
  }
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length < 2) return [text, ""];
  const half = Math.ceil(words.length / 2);
  return [words.slice(0, half).join(" "), words.slice(half).join(" ")];
}

export type EditResult = { ok: true; draft: CaptionDraft; key?: number } | { ok: false; message: string };

/** Two cues from one: the first up to `at` (its midpoint by default), the second from there; the text is split too. */
export function splitCue(draft: CaptionDraft, key: number, at?: number): EditResult {
  const cue = draftCues(draft).find((candidate) => candidate.key === key);
  const start = cue ? seconds(cue.start) : undefined;
  const end = cue ? seconds(cue.end) : undefined;
  if (!cue || start === undefined || end === undefined) return { ok: false, message: "Fix this cue's times before splitting it." };
  const point = round(at ?? (start + end) / 2);
  if (!(point > start && point < end)) return { ok: false, message: `The split point (${formatWebVttTimestamp(point)}) must fall inside the cue (${formatWebVttTimestamp(start)} to ${formatWebVttTimestamp(end)}).` };
  const [first, second] = splitText(cue.text);
  const next: DraftCue = { key: draft.nextKey, start: formatWebVttTimestamp(point), end: cue.end, settings: cue.settings, text: second };
  const blocks = draft.blocks.flatMap((block): DraftBlock[] =>
    block.type === "cue" && block.cue.key === key ? [{ type: "cue", cue: { ...cue, end: formatWebVttTimestamp(point), text: first } }, { type: "cue", cue: next }] : [block],
  );
  return { ok: true, draft: { ...draft, blocks, nextKey: draft.nextKey + 1 }, key: next.key };
}

/** One cue from a cue and the one after it: from the first's start to the later end, texts on separate lines. */
export function mergeWithNext(draft: CaptionDraft, key: number): EditResult {
  const cues = draftCues(draft);
  const index = cues.findIndex((cue) => cue.key === key);
  const cue = cues[index];
  const next = cues[index + 1];
  if (!cue || !next) return { ok: false, message: "There is no cue after this one to merge with." };
  const ends = [seconds(cue.end), seconds(next.end)];
  const end = ends.every((value) => value !== undefined) ? formatWebVttTimestamp(Math.max(...(ends as number[]))) : next.end;
  const merged: DraftCue = { ...cue, end, text: [cue.text, next.text].filter(Boolean).join("\n") };
  const blocks = draft.blocks
    .filter((block) => block.type !== "cue" || block.cue.key !== next.key)
    .map((block): DraftBlock => (block.type === "cue" && block.cue.key === key ? { type: "cue", cue: merged } : block));
  return { ok: true, draft: { ...draft, blocks }, key };
}

/** A new, empty cue at `at` seconds, placed in order of start times; it ends before the next cue starts. */
export function addCue(draft: CaptionDraft, at: number, { durationSeconds }: { durationSeconds?: number | null } = {}): EditResult {
  const start = round(Math.max(0, at));
  const cues = draftCues(draft);
  const following = cues.find((cue) => (seconds(cue.start) ?? Number.POSITIVE_INFINITY) > start);
  let end = start + NEW_CUE_SECONDS;
  const nextStart = following ? seconds(following.start) : undefined;
  if (nextStart !== undefined) end = Math.min(end, nextStart);
  if (durationSeconds != null) end = Math.min(end, durationSeconds);
  if (!(end > start)) return { ok: false, message: `There is no room for a cue at ${formatWebVttTimestamp(start)}.` };
  const cue: DraftCue = { key: draft.nextKey, start: formatWebVttTimestamp(start), end: formatWebVttTimestamp(round(end)), settings: "", text: "" };
  const block: DraftBlock = { type: "cue", cue };
  const index = following ? draft.blocks.findIndex((candidate) => candidate.type === "cue" && candidate.cue.key === following.key) : -1;
  const blocks = index < 0 ? [...draft.blocks, block] : [...draft.blocks.slice(0, index), block, ...draft.blocks.slice(index)];
  return { ok: true, draft: { ...draft, blocks, nextKey: draft.nextKey + 1 }, key: cue.key };
}

/** A cue's start in seconds (to play from it), or undefined while it does not parse. */
export const cueStartSeconds = (cue: DraftCue) => seconds(cue.start);
