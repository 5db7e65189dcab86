import { describe, expect, it } from "vitest";
import { firstDecodeTime, initTimescale } from "@/lib/videos/fmp4";

const u32 = (value: number) => [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
const box = (type: string, ...content: number[][]) => {
  const body = content.flat();
  return [...u32(8 + body.length), ...[...type].map((char) => char.charCodeAt(0)), ...body];
};
const fullBox = (type: string, version: number, ...content: number[][]) => box(type, [version, 0, 0, 0], ...content);
const bytes = (...boxes: number[][]) => new Uint8Array(boxes.flat());

describe("reading fMP4 timing", () => {
  it("takes the first track's mdhd timescale from an init segment, version 0 or 1", () => {
    const mdhd0 = fullBox("mdhd", 0, u32(1), u32(2), u32(15_360), u32(0));
    const mdhd1 = fullBox("mdhd", 1, u32(0), u32(1), u32(0), u32(2), u32(48_000), u32(0), u32(0));
    const init = (mdhd: number[]) => bytes(box("ftyp", [0x69, 0x73, 0x6f, 0x35]), box("moov", box("mvhd", u32(0)), box("trak", box("tkhd", u32(0)), box("mdia", mdhd))));
    expect(initTimescale(init(mdhd0))).toBe(15_360);
    expect(initTimescale(init(mdhd1))).toBe(48_000);
    expect(initTimescale(bytes(box("ftyp", u32(0))))).toBeUndefined();
  });

  it("takes the first fragment's baseMediaDecodeTime after styp and sidx, 32 or 64 bits, even from a cut-off read", () => {
    const traf = (tfdt: number[]) => box("traf", fullBox("tfhd", 0, u32(1)), tfdt, fullBox("trun", 0, u32(0)));
    const segment = (tfdt: number[]) => bytes(box("styp", u32(0)), box("sidx", u32(0), u32(0)), box("moof", fullBox("mfhd", 0, u32(1)), traf(tfdt)), box("mdat", new Array(64).fill(0)));
    expect(firstDecodeTime(segment(fullBox("tfdt", 0, u32(92_160))))).toBe(92_160);
    expect(firstDecodeTime(segment(fullBox("tfdt", 1, u32(1), u32(5))))).toBe(2 ** 32 + 5);
    const whole = segment(fullBox("tfdt", 1, u32(0), u32(540_000)));
    expect(firstDecodeTime(whole.subarray(0, whole.length - 40))).toBe(540_000);
    expect(firstDecodeTime(bytes(box("styp", u32(0))))).toBeUndefined();
  });
});
