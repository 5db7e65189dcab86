import { describe, expect, it } from "vitest";
import { readCaptionFile } from "@/lib/captions/caption-file";
import { checkCueSettings } from "@/lib/captions/cue-settings";
import { cuesOf } from "@/lib/captions/document";
import { formatWebVttTimestamp, parseWebVttTimestamp } from "@/lib/captions/timestamp";
import { parseWebVtt, writeWebVtt } from "@/lib/captions/webvtt";

const vtt = (...lines: string[]) => lines.join("\n");
const parsed = (text: string) => {
  const result = parseWebVtt(text);
  if (result.errors.length > 0) throw new Error(`expected a valid file: ${JSON.stringify(result.errors)}`);
  return result.document;
};
const errorsOf = (text: string, durationSeconds?: number) => {
  const result = readCaptionFile({ content: text, format: "vtt", durationSeconds });
  if (result.ok) throw new Error("expected errors");
  return result.errors;
};

describe("WebVTT timestamps", () => {
  it("reads hh:mm:ss.ttt and mm:ss.ttt, hours of two or more digits", () => {
    expect(parseWebVttTimestamp("00:00:01.500")).toEqual({ ok: true, seconds: 1.5 });
    expect(parseWebVttTimestamp("01:02.003")).toEqual({ ok: true, seconds: 62.003 });
    expect(parseWebVttTimestamp("100:00:00.000")).toEqual({ ok: true, seconds: 360_000 });
  });

  it("says what is wrong with a bad one", () => {
    const message = (value: string) => {
      const result = parseWebVttTimestamp(value);
      return result.ok ? "" : result.message;
    };
    expect(message("00:00:01,500")).toMatch(/full stop before the milliseconds \(00:00:01\.500\)/);
    expect(message("0:00:01.500")).toMatch(/hours need two digits/);
    expect(message("00:01.5")).toMatch(/three digits/);
    expect(message("00:60.000")).toMatch(/00 to 59/);
    expect(message("60:00.000")).toMatch(/00 to 59/);
    expect(message("00:00:61.000")).toMatch(/00 to 59/);
    expect(message("soon")).toMatch(/expected hh:mm:ss\.ttt or mm:ss\.ttt/);
  });

  it("writes hh:mm:ss.ttt without floating-point drift", () => {
    expect(formatWebVttTimestamp(0)).toBe("00:00:00.000");
    expect(formatWebVttTimestamp(62.003)).toBe("00:01:02.003");
    expect(formatWebVttTimestamp(3723.1)).toBe("01:02:03.100");
    expect(formatWebVttTimestamp(0.1 + 0.2)).toBe("00:00:00.300");
  });
});

describe("parseWebVtt", () => {
  it("reads the header, identifiers, settings, multi-line text and NOTE, STYLE and REGION blocks", () => {
    const document = parsed(
      vtt(
        "WEBVTT - Lecture 1",
        "Kind: captions",
        "",
        "STYLE",
        "::cue { color: yellow }",
        "",
        "REGION",
        "id:left",
        "width:40%",
        "",
        "NOTE written by hand",
        "over two lines",
        "",
        "intro",
        "00:01.000 --> 00:04.000 align:start position:10%,line-left line:-2 size:50% region:left",
        "<v Ana>Hello</v>",
        "<i>world</i> &amp; all",
        "",
        "00:00:04.000 --> 00:00:06.500",
        "Second",
      ),
    );
    expect(document.header).toEqual(["- Lecture 1", "Kind: captions"]);
    expect(document.blocks.map((block) => block.type)).toEqual(["style", "region", "note", "cue", "cue"]);
    expect(cuesOf(document)).toEqual([
      {
        identifier: "intro",
        start: 1,
        end: 4,
        settings: "align:start position:10%,line-left line:-2 size:50% region:left",
        text: "<v Ana>Hello</v>\n<i>world</i> &amp; all",
        line: 15,
      },
      { start: 4, end: 6.5, settings: "", text: "Second", line: 19 },
    ]);
  });

  it("accepts CRLF and CR line ends and a bare WEBVTT file with no cues", () => {
    expect(cuesOf(parsed("WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nHi\r\n"))).toMatchObject([{ text: "Hi", line: 3 }]);
    expect(cuesOf(parsed("WEBVTT\r\r00:01.000 --> 00:02.000\rHi"))).toMatchObject([{ text: "Hi", line: 3 }]);
    expect(parsed("WEBVTT").blocks).toEqual([]);
  });

  it("reads a cue straight under the header, as browsers do, and drops an HLS X-TIMESTAMP-MAP header", () => {
    const document = parsed(vtt("WEBVTT", "X-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000", "00:01.000 --> 00:02.000", "Hi"));
    expect(document.header).toEqual([""]);
    expect(cuesOf(document)).toMatchObject([{ start: 1, end: 2, text: "Hi" }]);
  });

  it("accepts a cue with no text and a timing line without spaces around the arrow", () => {
    expect(cuesOf(parsed(vtt("WEBVTT", "", "00:01.000-->00:02.000")))).toMatchObject([{ start: 1, end: 2, text: "" }]);
  });

  it("refuses a file without the WEBVTT signature, with a hint for SRT", () => {
    expect(errorsOf("WEBVTTX\n")).toEqual([{ line: 1, message: 'A WebVTT file must start with "WEBVTT".' }]);
    expect(errorsOf("1\n00:00:01,000 --> 00:00:02,000\nHi")[0]?.message).toMatch(/looks like an SRT file/);
  });

  it("reports each bad timestamp with its line", () => {
    expect(errorsOf(vtt("WEBVTT", "", "00:01.000 --> 00:02.000", "ok", "", "00:00:03,000 --> 00:00:04.000", "comma", "", "1", "00:05.000 --> 00:6.000", "short"))).toEqual([
      { line: 6, message: expect.stringMatching(/^Bad timestamp "00:00:03,000": WebVTT puts a full stop/) },
      { line: 10, message: expect.stringMatching(/^Bad timestamp "00:6.000"/) },
    ]);
  });

  it("reports a cue that ends before (or when) it starts", () => {
    expect(errorsOf(vtt("WEBVTT", "", "00:05.000 --> 00:04.000", "back", "", "00:06.000 --> 00:06.000", "zero"))).toEqual([
      { line: 3, message: "The cue ends (00:00:04.000) before it starts (00:00:05.000): the end must come after the start." },
      { line: 6, message: "The cue ends (00:00:06.000) when it starts (00:00:06.000): the end must come after the start." },
    ]);
  });

  it("reports cues out of order and a cue past the video's end, with a second's tolerance", () => {
    const text = vtt("WEBVTT", "", "00:05.000 --> 00:06.000", "a", "", "00:04.000 --> 00:05.000", "b", "", "00:08.000 --> 00:10.900", "c");
    expect(errorsOf(text, 10)).toEqual([{ line: 6, message: expect.stringMatching(/before the cue above it on line 3/) }]);
    expect(errorsOf(text.replace("00:10.900", "00:11.500"), 10)).toContainEqual({
      line: 9,
      message: "The cue ends at 00:00:11.500, past the video's end (00:00:10.000).",
    });
  });

  it("reports bad and unknown cue settings", () => {
    expect(checkCueSettings("align:start position:0% line:0 vertical:rl size:100%")).toEqual([]);
    expect(checkCueSettings("align:middle")).toEqual(['Bad cue setting "align:middle": align takes start, center, end, left or right.']);
    expect(checkCueSettings("position:120%")).toEqual(['Bad cue setting "position:120%": a percentage goes from 0% to 100%.']);
    expect(checkCueSettings("size:50")).toEqual(['Bad cue setting "size:50": size takes a percentage.']);
    expect(checkCueSettings("colour:red")[0]).toMatch(/^Unknown cue setting "colour:red"/);
    expect(checkCueSettings("line:1 line:2")).toEqual(["The cue setting line is given twice."]);
    expect(errorsOf(vtt("WEBVTT", "", "00:01.000 --> 00:02.000 align:middle", "x"))).toEqual([{ line: 3, message: expect.stringMatching(/^Bad cue setting/) }]);
  });

  it("reports a missing blank line between cues, stray text and late STYLE blocks", () => {
    expect(errorsOf(vtt("WEBVTT", "", "00:01.000 --> 00:02.000", "a", "00:02.000 --> 00:03.000", "b"))).toEqual([
      { line: 5, message: expect.stringMatching(/cannot contain "-->": if this is the next cue's timing line, put a blank line before it/) },
    ]);
    expect(errorsOf(vtt("WEBVTT", "", "just some words"))).toEqual([{ line: 3, message: expect.stringMatching(/^This block is not a cue/) }]);
    expect(errorsOf(vtt("WEBVTT", "", "00:01.000 --> 00:02.000", "a", "", "STYLE", "::cue { color: red }"))).toEqual([
      { line: 6, message: "STYLE blocks must come before the first cue." },
    ]);
  });

  it("reports syntax problems and the rules between cues together, in the order of the file", () => {
    expect(errorsOf(vtt("WEBVTT", "", "00:05.000 --> 00:04.000", "backwards", "", "00:00:06,000 --> 00:00:07.000", "comma", "", "00:08.000 --> 00:30.000", "late"), 20)).toEqual([
      { line: 3, message: expect.stringMatching(/before it starts/) },
      { line: 6, message: expect.stringMatching(/^Bad timestamp "00:00:06,000"/) },
      { line: 9, message: expect.stringMatching(/past the video's end/) },
    ]);
  });

  it("reports duplicate identifiers", () => {
    expect(errorsOf(vtt("WEBVTT", "", "a", "00:01.000 --> 00:02.000", "x", "", "a", "00:02.000 --> 00:03.000", "y"))).toEqual([
      { line: 7, message: 'The cue identifier "a" is already used on line 3: identifiers must be unique.' },
    ]);
  });

  it("stops listing problems after 50", () => {
    const text = ["WEBVTT", ...Array.from({ length: 80 }, () => "\nnot a cue")].join("\n");
    expect(errorsOf(text)).toHaveLength(50);
  });
});

describe("writeWebVtt", () => {
  it("round-trips: styles, regions, notes, identifiers, settings and text are kept", () => {
    const source = vtt(
      "WEBVTT Lecture",
      "",
      "STYLE",
      "::cue(.loud) { font-weight: bold }",
      "",
      "REGION",
      "id:r1",
      "",
      "NOTE a note",
      "",
      "intro",
      "00:00:01.000 --> 00:00:04.000 align:start position:10%",
      "<c.loud>Hello</c>",
      "",
      "00:00:04.000 --> 00:00:05.250 region:r1",
      "Two",
      "lines",
      "",
    );
    expect(writeWebVtt(parsed(source))).toBe(source);
    expect(writeWebVtt(parsed(writeWebVtt(parsed(source))))).toBe(source);
  });

  it("normalises line ends and timestamps", () => {
    expect(writeWebVtt(parsed("WEBVTT\r\n\r\n01:02.500 --> 01:03.000   align:end\r\nHi\r\n"))).toBe("WEBVTT\n\n00:01:02.500 --> 00:01:03.000 align:end\nHi\n");
  });
});
