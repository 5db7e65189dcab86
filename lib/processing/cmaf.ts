import { readFile } from "node:fs/promises";
import { AAC_LC } from "./ladder";

const hex = (byte: number) => byte.toString(16).padStart(2, "0");

/**
 * The RFC 6381 codec of a CMAF rendition, from its init segment (a few hundred bytes): `avc1.PPCCLL` from the avcC
 * box's profile, constraint flags and level (what the stream really is, encoded or copied), `mp4a.40.2` for AAC-LC.
 */
export async function initSegmentCodec(initPath: string): Promise<string | undefined> {
  const bytes = await readFile(initPath);
  const avcC = bytes.indexOf("avcC", 0, "latin1");
  if (avcC >= 0 && avcC + 8 <= bytes.length) {
    const [, profile = 0, constraints = 0, level = 0] = bytes.subarray(avcC + 4, avcC + 8);
    return `avc1.${hex(profile)}${hex(constraints)}${hex(level)}`;
  }
  if (bytes.indexOf("mp4a", 0, "latin1") >= 0) return AAC_LC;
  return undefined;
}
