import { describe, expect, it } from "vitest";
import { cuePlainText, currentLineIndex, pickTrack, searchLines, transcriptLines } from "@/lib/captions/transcript";

describe("transcript", () => {
  it("turns cue payloads into plain text", () => {
    expect(cuePlainText("<v Ana>Hello</v>\n<i>world</i> &amp; all &lt;3 &#233;t&#xE9;")).toBe("Hello world & all <3 été");
    expect(cuePlainText("<00:00:01.000>karaoke <c.loud>word</c>")).toBe("karaoke word");
  });

  it("lists the lines of a track, leaving out cues without text", () => {
    expect(transcriptLines("WEBVTT\n\n00:01.000 --> 00:02.000\n<b>One</b>\n\n00:02.000 --> 00:03.000\n<i></i>\n\n00:03.000 --> 00:04.000\nTwo\nlines\n")).toEqual([
      { start: 1, end: 2, text: "One" },
      { start: 3, end: 4, text: "Two lines" },
    ]);
  });

  it("finds the line playing now", () => {
    const lines = [
      { start: 1, end: 3, text: "a" },
      { start: 2, end: 4, text: "b" },
      { start: 6, end: 7, text: "c" },
    ];
    expect(currentLineIndex(lines, 0.5)).toBe(-1);
    expect(currentLineIndex(lines, 1)).toBe(0);
    expect(currentLineIndex(lines, 2.5)).toBe(1);
    expect(currentLineIndex(lines, 5)).toBe(-1);
    expect(currentLineIndex(lines, 6.5)).toBe(2);
  });

  it("searches case- and accent-insensitively", () => {
    const lines = [
      { start: 0, end: 1, text: "Café au lait" },
      { start: 1, end: 2, text: "Options pricing" },
    ];
    expect(searchLines(lines, "CAFE")).toEqual([0]);
    expect(searchLines(lines, " pricing ")).toEqual([1]);
    expect(searchLines(lines, "")).toEqual([0, 1]);
    expect(searchLines(lines, "nothing")).toEqual([]);
  });

  it("picks the remembered language, else one of the same primary language", () => {
    const tracks = [{ language: "en-GB" }, { language: "fr" }];
    expect(pickTrack(tracks, "fr")).toEqual({ language: "fr" });
    expect(pickTrack(tracks, "en")).toEqual({ language: "en-GB" });
    expect(pickTrack(tracks, "de")).toBeUndefined();
    expect(pickTrack(tracks, null)).toBeUndefined();
  });
});
