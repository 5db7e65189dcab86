/**
 * A caption file as we hold it: WebVTT's blocks in file order. SRT is converted into the same shape, so one
 * writer, one set of checks and one player path serve both.
 */
export type Cue = {
  identifier?: string;
  /** Seconds from the start of the video. */
  start: number;
  end: number;
  /** Cue settings as written (`align:start position:10%`), validated; empty when none. */
  settings: string;
  /** Cue payload: lines joined with `\n`, tags (`<i>`, `<v Speaker>`, …) kept. */
  text: string;
  /** Where the cue's timing line is in the uploaded file (1-based), for error messages. */
  line: number;
};

export type CaptionBlock = { type: "cue"; cue: Cue } | { type: "note" | "style" | "region"; text: string };

export type CaptionDocument = {
  /** What follows `WEBVTT` on the first line and the header lines under it (without X-TIMESTAMP-MAP). */
  header: string[];
  blocks: CaptionBlock[];
};

/** What is wrong, and where: `line` is 1-based in the uploaded file; null for the file as a whole. */
export type CaptionIssue = { line: number | null; message: string };

/** What a parser read (the blocks it could make sense of) and what is wrong; the file is valid when `errors` is empty. */
export type CaptionParseResult = { document: CaptionDocument; errors: CaptionIssue[] };

/** At most this many problems are reported: a file in the wrong format would otherwise list every line. */
export const MAX_REPORTED_ISSUES = 50;

export const cuesOf = (document: CaptionDocument): Cue[] => document.blocks.flatMap((block) => (block.type === "cue" ? [block.cue] : []));

/** Lines of a text with any of WebVTT's line terminators (CRLF, LF, CR). */
export const splitLines = (text: string): string[] => text.split(/\r\n|\r|\n/);
