/**
 * Which of a session's batches have been recorded: the highest sequence, and a bitmask of the ones just below it
 * (bit i: `lastSequence - i` was recorded). Batches may arrive out of order (a beacon sent on leaving the page can
 * overtake a batch still under way): a late batch that was never recorded still counts; one that was is a replay.
 */
export const SEQUENCE_WINDOW = 62;

export type SequencePlace =
  /** Newer than any recorded batch: it moves the session (and the resume point) on. */
  | { kind: "next"; lastSequence: number; recentSequences: bigint }
  /** Older than the newest, never recorded: its seconds count, the resume point stays the newer batch's. */
  | { kind: "late"; lastSequence: number; recentSequences: bigint }
  /** Recorded already, or too old to tell: nothing changes. */
  | { kind: "seen" };

export function placeSequence({ lastSequence, recentSequences, sequence }: { lastSequence: number; recentSequences: bigint; sequence: number }): SequencePlace {
  const mask = (1n << BigInt(SEQUENCE_WINDOW)) - 1n;
  if (sequence > lastSequence) {
    const shift = sequence - lastSequence;
    const shifted = shift >= SEQUENCE_WINDOW ? 0n : (recentSequences << BigInt(shift)) & mask;
    return { kind: "next", lastSequence: sequence, recentSequences: shifted | 1n };
  }
  const age = lastSequence - sequence;
  if (age >= SEQUENCE_WINDOW) return { kind: "seen" };
  const bit = 1n << BigInt(age);
  if ((recentSequences & bit) !== 0n) return { kind: "seen" };
  return { kind: "late", lastSequence, recentSequences: recentSequences | bit };
}
