const PACKET = 188;
const SYNC = 0x47;

/**
 * The earliest presentation time stamp (90 kHz) among the PES packets that start in these first bytes of an
 * MPEG-TS segment, or undefined when there is none. An HLS WebVTT segment maps its cue time 0 to this value
 * (X-TIMESTAMP-MAP): without the map, players take cue time 0 as MPEG-TS time 0, and ffmpeg's segments start
 * about 1.4 s later, so every caption would show that much too early.
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

/** The PTS of a PES header (ISO/IEC 13818-1 2.4.3.6), if it has one. */
function pesTimestamp(pes: Uint8Array): number | undefined {
  if (pes.length < 14 || pes[0] !== 0 || pes[1] !== 0 || pes[2] !== 1) return undefined;
  const hasPts = ((pes[7] ?? 0) & 0x80) !== 0;
  if (!hasPts) return undefined;
  const [b9 = 0, b10 = 0, b11 = 0, b12 = 0, b13 = 0] = pes.subarray(9, 14);
  // 33 bits: beyond 32-bit integers, so multiply rather than shift the top ones.
  return ((b9 >> 1) & 0x07) * 2 ** 30 + (b10 << 22) + ((b11 >> 1) << 15) + (b12 << 7) + (b13 >> 1);
}
