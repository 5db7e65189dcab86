const PACKET = 188;
const SYNC = 0x47;

/**
 * Where the stream's clock starts (90 kHz): the earliest time stamp, presentation or decoding, among the PES
 * packets that start in these first bytes of an MPEG-TS segment; undefined when there is none. An HLS WebVTT
 * segment maps its cue time 0 to this value (X-TIMESTAMP-MAP): without the map, players take cue time 0 as
 * MPEG-TS time 0, and ffmpeg's segments start about 1.4 s later, so every caption would show that much too early.
 * The decoding time counts because hls.js starts its timeline at the lowest DTS (video's, a B-frame or two before
 * its first PTS): mapped to the first PTS, cues would show some 40 ms late and a seek to a cue's start would miss it.
 */
export function firstPresentationTimestamp(bytes: Uint8Array): number | undefined {
  let earliest: number | undefined;
  for (let offset = 0; offset + PACKET <= bytes.length; offset += PACKET) {
    if (bytes[offset] !== SYNC) return earliest;
    const flags = bytes[offset + 1] ?? 0;
    const payloadStart = (flags & 0x40) !== 0;
    const adaptation = ((bytes[offset + 3] ?? 0) >> 4) & 0x3;
    if (!payloadStart || adaptation === 0 || adaptation === 2) continue;
    const payload = offset + 4 + (adaptation === 3 ? 1 + (bytes[offset + 4] ?? 0) : 0);
    const pts = pesTimestamp(bytes.subarray(payload, offset + PACKET));
    if (pts !== undefined && (earliest === undefined || pts < earliest)) earliest = pts;
  }
  return earliest;
}

/** The lower of the PTS and DTS of a PES header (ISO/IEC 13818-1 2.4.3.6), if it has them. */
function pesTimestamp(pes: Uint8Array): number | undefined {
  if (pes.length < 14 || pes[0] !== 0 || pes[1] !== 0 || pes[2] !== 1) return undefined;
  const flags = (pes[7] ?? 0) >> 6;
  if ((flags & 0x2) === 0) return undefined;
  const pts = timestampAt(pes, 9);
  const dts = flags === 0x3 && pes.length >= 19 ? timestampAt(pes, 14) : undefined;
  return dts === undefined ? pts : Math.min(pts, dts);
}

/** A 33-bit time stamp in its five bytes (with marker bits): beyond 32-bit integers, so the top bits are multiplied. */
function timestampAt(bytes: Uint8Array, at: number): number {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0] = bytes.subarray(at, at + 5);
  return ((b0 >> 1) & 0x07) * 2 ** 30 + (b1 << 22) + ((b2 >> 1) << 15) + (b3 << 7) + (b4 >> 1);
}
