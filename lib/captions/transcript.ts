import { cuesOf } from "./document";
import { parseWebVtt } from "./webvtt";

export type TranscriptLine = { start: number; end: number; text: string };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", nbsp: "\u00a0", lrm: "\u200e", rlm: "\u200f", quot: '"', apos: "'" };

/** A cue's payload as plain text: tags (`<v Ana>`, `<i>`, timestamps) dropped, character references decoded, lines joined. */
export function cuePlainText(payload: string): string {
  return payload
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ");
}

/** A WebVTT track as transcript lines (cues with no text left out). */
export function transcriptLines(webvtt: string): TranscriptLine[] {
  return cuesOf(parseWebVtt(webvtt).document)
    .map((cue) => ({ start: cue.start, end: cue.end, text: cuePlainText(cue.text) }))
    .filter((line) => line.text !== "");
}

/** The line playing at `time`: the last one started and not yet ended. */
export function currentLineIndex(lines: TranscriptLine[], time: number): number {
  let found = -1;
  for (const [index, line] of lines.entries()) {
    if (line.start > time) break;
    if (time < line.end) found = index;
  }
  return found;
}

/** The indexes of lines containing `query` (case- and accent-insensitive). */
export function searchLines(lines: TranscriptLine[], query: string): number[] {
  const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  const wanted = fold(query.trim());
  if (!wanted) return lines.map((_, index) => index);
  return lines.flatMap((line, index) => (fold(line.text).includes(wanted) ? [index] : []));
}

/**
 * The track to show for a remembered choice: the same language, else one of the same primary language (a viewer
 * who chose `en` gets `en-GB`), else none.
 */
export function pickTrack<T extends { language: string }>(tracks: T[], preferred: string | null): T | undefined {
  if (!preferred) return undefined;
  const exact = tracks.find((track) => track.language.toLowerCase() === preferred.toLowerCase());
  if (exact) return exact;
  const primary = preferred.split("-")[0]?.toLowerCase();
  return tracks.find((track) => track.language.split("-")[0]?.toLowerCase() === primary);
}
