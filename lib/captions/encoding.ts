import type { CaptionIssue } from "./document";

export const MAX_CAPTION_BYTES = 2 * 1024 * 1024;

export type DecodeResult = { ok: true; text: string } | { ok: false; errors: CaptionIssue[] };

const tooLarge = (size: number): CaptionIssue => ({
  line: null,
  message: `The file is ${(size / 1024 / 1024).toFixed(1)} MB; a caption file can be at most ${MAX_CAPTION_BYTES / 1024 / 1024} MB.`,
});

/** Checks a text's size the way the bytes would count (UTF-8). */
export function checkCaptionSize(text: string): CaptionIssue | undefined {
  const size = new TextEncoder().encode(text).byteLength;
  return size > MAX_CAPTION_BYTES ? tooLarge(size) : undefined;
}

/**
 * A caption file's bytes as text: at most 2 MB, UTF-8 (a UTF-8 byte order mark is dropped; UTF-16 and any
 * invalid sequence are refused with the line they are on), no NUL characters (PostgreSQL text cannot hold them).
 */
export function decodeCaptionBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.byteLength > MAX_CAPTION_BYTES) return { ok: false, errors: [tooLarge(bytes.byteLength)] };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, errors: [{ line: 1, message: "The file is UTF-16: save it as UTF-8." }] };
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  if (bad !== undefined) {
    const byte = body[bad] ?? 0;
    return {
      ok: false,
      errors: [{ line: lineAt(body, bad), message: `Not UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} does not belong here. Save the file as UTF-8.` }],
    };
  }
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
  const nul = text.indexOf("\u0000");
  if (nul >= 0) return { ok: false, errors: [{ line: lineAt(body, new TextEncoder().encode(text.slice(0, nul)).byteLength), message: "The file contains a NUL character." }] };
  return { ok: true, text };
}

/** The 1-based line of a byte offset (LF, CRLF and CR end lines). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) {
    if (bytes[index] === 0x0a || (bytes[index] === 0x0d && bytes[index + 1] !== 0x0a)) line++;
  }
  return line;
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), if any. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  const at = (index: number) => bytes[index] ?? -1;
  const continuation = (index: number, low = 0x80, high = 0xbf) => at(index) >= low && at(index) <= high;
  let index = 0;
  while (index < bytes.length) {
    const byte = at(index);
    if (byte < 0x80) {
      index += 1;
      continue;
    }
    let length = 0;
    if (byte >= 0xc2 && byte <= 0xdf) length = continuation(index + 1) ? 2 : 0;
    else if (byte === 0xe0) length = continuation(index + 1, 0xa0) && continuation(index + 2) ? 3 : 0;
    else if (byte === 0xed) length = continuation(index + 1, 0x80, 0x9f) && continuation(index + 2) ? 3 : 0;
    else if (byte >= 0xe1 && byte <= 0xef) length = continuation(index + 1) && continuation(index + 2) ? 3 : 0;
    else if (byte === 0xf0) length = continuation(index + 1, 0x90) && continuation(index + 2) && continuation(index + 3) ? 4 : 0;
    else if (byte >= 0xf1 && byte <= 0xf3) length = continuation(index + 1) && continuation(index + 2) && continuation(index + 3) ? 4 : 0;
    else if (byte === 0xf4) length = continuation(index + 1, 0x80, 0x8f) && continuation(index + 2) && continuation(index + 3) ? 4 : 0;
    if (length === 0) return index;
    index += length;
  }
  return undefined;
}
