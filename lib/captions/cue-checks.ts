import type { CaptionIssue, Cue } from "./document";
import { formatWebVttTimestamp } from "./timestamp";

/**
 * Processing measures the duration from the renditions, which can differ from the file a captioner timed against
 * by a frame or two: a cue may run this far past the end before it is refused.
 */
export const END_TOLERANCE_SECONDS = 1;

/**
 * The rules between cues: each ends after it starts, starts no earlier than the one before (WebVTT requires
 * ascending start times), and ends within the video. Identifiers must be unique.
 */
export function checkCues(cues: Cue[], { durationSeconds }: { durationSeconds?: number | null }): CaptionIssue[] {
  const issues: CaptionIssue[] = [];
  const identifiers = new Map<string, number>();
  let previous: Cue | undefined;
  for (const cue of cues) {
    if (cue.end <= cue.start) {
      issues.push({
        line: cue.line,
        message: `The cue ends (${formatWebVttTimestamp(cue.end)}) ${cue.end === cue.start ? "when" : "before"} it starts (${formatWebVttTimestamp(cue.start)}): the end must come after the start.`,
      });
    }
    if (previous && cue.start < previous.start) {
      issues.push({
        line: cue.line,
        message: `The cue starts (${formatWebVttTimestamp(cue.start)}) before the cue above it on line ${previous.line} (${formatWebVttTimestamp(previous.start)}): cues must be in order of their start times.`,
      });
    }
    if (durationSeconds != null && cue.end > durationSeconds + END_TOLERANCE_SECONDS) {
      issues.push({
        line: cue.line,
        message: `The cue ends at ${formatWebVttTimestamp(cue.end)}, past the video's end (${formatWebVttTimestamp(durationSeconds)}).`,
      });
    }
    if (cue.identifier !== undefined) {
      const seen = identifiers.get(cue.identifier);
      if (seen !== undefined) issues.push({ line: cue.line - 1, message: `The cue identifier "${cue.identifier}" is already used on line ${seen}: identifiers must be unique.` });
      else identifiers.set(cue.identifier, cue.line - 1);
    }
    previous = cue;
  }
  return issues;
}
