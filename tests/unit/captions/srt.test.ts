import { describe, expect, it } from "vitest";
import { readCaptionFile } from "@/lib/captions/caption-file";
import { convertText } from "@/lib/captions/srt";

const srt = (...lines: string[]) => lines.join("\r\n");
const convert = (text: string, durationSeconds?: number) => readCaptionFile({ content: text, format: "srt", durationSeconds });
const webvttOf = (text: string) => {
  const result = convert(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.file.webvtt;
};
const errorsOf = (text: string, durationSeconds?: number) => {
  const result = convert(text, durationSeconds);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
};

describe("SRT to WebVTT", () => {
  it("converts comma milliseconds, keeps numbers as identifiers and CRLF becomes LF", () => {
    expect(webvttOf(srt("1", "00:00:01,000 --> 00:00:04,000", "Hello there", "General Kenobi", "", "2", "00:00:04,500 --> 00:01:02,003", "Second", ""))).toBe(
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nHello there\nGeneral Kenobi\n\n2\n00:00:04.500 --> 00:01:02.003\nSecond\n",
    );
  });

  it("takes real-world quirks: a BOM, one-digit hours, full stops, box coordinates, extra blank lines, no numbers", () => {
    const bytes = new TextEncoder().encode(`\uFEFF${srt("", "", "1", "0:00:01.000 --> 0:00:02,000  X1:100 X2:200 Y1:10 Y2:20", "One", "", "", "", "00:00:03,000 --> 00:00:04,000", "Two")}`);
    const result = readCaptionFile({ content: bytes, format: "srt" });
    expect(result.ok && result.file.webvtt).toBe("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nOne\n\n00:00:03.000 --> 00:00:04.000\nTwo\n");
  });

  it("keeps <i>, <b> and <u>, drops <font> and {\\an8}, escapes what WebVTT would read as markup", () => {
    expect(convertText('<font color="#ff0000">{\\an8}<I>Red</I></font> & <b>bold</b> a < b > c')).toBe("<i>Red</i> &amp; <b>bold</b> a &lt; b &gt; c");
    expect(convertText("Tom &amp; Jerry --> next")).toBe("Tom &amp; Jerry --&gt; next");
  });

  it("drops a repeated number rather than making a duplicate identifier", () => {
    expect(webvttOf(srt("1", "00:00:01,000 --> 00:00:02,000", "a", "", "1", "00:00:02,000 --> 00:00:03,000", "b"))).toBe(
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\na\n\n00:00:02.000 --> 00:00:03.000\nb\n",
    );
  });

  it("reports bad timestamps, missing timing lines and stray text with their lines", () => {
    expect(errorsOf(srt("1", "00:00:01:000 --> 00:00:02,000", "a", "", "2", "Oops no timing", "", "3", "00:00:05,000 --> 00:00:06,000", "c", "", "a line cut off by a blank line"))).toEqual([
      { line: 2, message: 'Bad timestamp "00:00:01:000": expected hh:mm:ss,ttt such as 00:01:02,500.' },
      { line: 6, message: "Expected a timing line such as 00:00:01,000 --> 00:00:04,000 after the subtitle's number." },
      { line: 12, message: expect.stringMatching(/^This block is not a subtitle/) },
    ]);
  });

  it("reports end before start, cues out of order and past the video's end on the SRT's lines", () => {
    expect(errorsOf(srt("1", "00:00:05,000 --> 00:00:04,000", "a", "", "2", "00:00:01,000 --> 00:00:30,000", "b"), 20)).toEqual([
      { line: 2, message: expect.stringMatching(/ends \(00:00:04.000\) before it starts/) },
      { line: 6, message: expect.stringMatching(/before the cue above it on line 2/) },
      { line: 6, message: "The cue ends at 00:00:30.000, past the video's end (00:00:20.000)." },
    ]);
  });

  it("reports a missing blank line between subtitles and an empty file", () => {
    expect(errorsOf(srt("1", "00:00:01,000 --> 00:00:02,000", "a", "2", "00:00:02,000 --> 00:00:03,000", "b"))).toEqual([
      { line: 5, message: expect.stringMatching(/needs a blank line before it/) },
    ]);
    expect(errorsOf("\r\n\r\n")).toEqual([{ line: null, message: "The file has no subtitles." }]);
  });
});
