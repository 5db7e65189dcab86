import { describe, expect, it } from "vitest";
import { placeSequence, SEQUENCE_WINDOW } from "@/lib/watch/sequences";

describe("placeSequence", () => {
  it("moves on with a newer batch, remembering the ones just below", () => {
    expect(placeSequence({ lastSequence: 0, recentSequences: 1n, sequence: 1 })).toEqual({ kind: "next", lastSequence: 1, recentSequences: 0b11n });
    expect(placeSequence({ lastSequence: 1, recentSequences: 0b11n, sequence: 3 })).toEqual({ kind: "next", lastSequence: 3, recentSequences: 0b1101n });
    expect(placeSequence({ lastSequence: 3, recentSequences: 0b1101n, sequence: 3 + SEQUENCE_WINDOW })).toEqual({ kind: "next", lastSequence: 3 + SEQUENCE_WINDOW, recentSequences: 1n });
  });

  it("counts a late batch once, and calls the recorded and the too old ones replays", () => {
    expect(placeSequence({ lastSequence: 3, recentSequences: 0b1101n, sequence: 2 })).toEqual({ kind: "late", lastSequence: 3, recentSequences: 0b1111n });
    expect(placeSequence({ lastSequence: 3, recentSequences: 0b1111n, sequence: 2 })).toEqual({ kind: "seen" });
    expect(placeSequence({ lastSequence: 3, recentSequences: 0b1111n, sequence: 3 })).toEqual({ kind: "seen" });
    expect(placeSequence({ lastSequence: 100, recentSequences: 1n, sequence: 100 - SEQUENCE_WINDOW })).toEqual({ kind: "seen" });
  });

  it("keeps the mask within its window", () => {
    let state = { lastSequence: 0, recentSequences: 1n };
    for (let sequence = 1; sequence < 200; sequence++) {
      const place = placeSequence({ ...state, sequence });
      if (place.kind !== "next") throw new Error("expected next");
      state = place;
    }
    expect(state.recentSequences).toBe((1n << BigInt(SEQUENCE_WINDOW)) - 1n);
  });
});
