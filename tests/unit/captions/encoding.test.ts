import { describe, expect, it } from "vitest";
import { readCaptionFile } from "@/lib/captions/caption-file";
import { decodeCaptionBytes, firstInvalidUtf8, MAX_CAPTION_BYTES } from "@/lib/captions/encoding";

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "utf8") : Buffer.from(part))));

describe("caption file bytes", () => {
  it("reads UTF-8 and drops a byte order mark", () => {
    expect(decodeCaptionBytes(bytes([0xef, 0xbb, 0xbf], "WEBVTT\n\n00:01.000 --> 00:02.000\nCafé"))).toEqual({ ok: true, text: "WEBVTT\n\n00:01.000 --> 00:02.000\nCafé" });
    const result = readCaptionFile({ content: bytes([0xef, 0xbb, 0xbf], "WEBVTT\n"), format: "vtt" });
    expect(result.ok).toBe(true);
  });

  it("refuses Latin-1 and other invalid UTF-8 with the line it is on", () => {
    expect(decodeCaptionBytes(bytes("WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nCaf", [0xe9], "\n"))).toEqual({
      ok: false,
      errors: [{ line: 4, message: "Not UTF-8: byte 0xE9 does not belong here. Save the file as UTF-8." }],
    });
    // Overlong encodings, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either (RFC 3629).
    expect(firstInvalidUtf8(bytes("a", [0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8(bytes([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(bytes("ok", [0xe2, 0x82]))).toBe(2);
    expect(firstInvalidUtf8(bytes("€ 𝄞 ü"))).toBeUndefined();
  });

  it("refuses UTF-16 and NUL characters", () => {
    expect(decodeCaptionBytes(bytes([0xff, 0xfe], "W"))).toEqual({ ok: false, errors: [{ line: 1, message: "The file is UTF-16: save it as UTF-8." }] });
    expect(decodeCaptionBytes(bytes("WEBVTT\n\nx", [0], "y"))).toEqual({ ok: false, errors: [{ line: 3, message: "The file contains a NUL character." }] });
  });

  it("refuses more than 2 MB, as bytes or as text", () => {
    const big = `WEBVTT\n\nNOTE ${"x".repeat(MAX_CAPTION_BYTES)}`;
    expect(decodeCaptionBytes(Buffer.from(big))).toEqual({ ok: false, errors: [{ line: null, message: "The file is 2.0 MB; a caption file can be at most 2 MB." }] });
    expect(readCaptionFile({ content: big, format: "vtt" })).toEqual({ ok: false, errors: [{ line: null, message: expect.stringMatching(/at most 2 MB/) }] });
    expect(decodeCaptionBytes(Buffer.alloc(MAX_CAPTION_BYTES, 0x20)).ok).toBe(true);
  });
});
