import { describe, expect, it } from "vitest";
import { MAX_PARTS, MIN_PART_SIZE, partLength, planParts } from "@/lib/videos/part-plan";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const lengths = ({ fileSize, partSize, partCount }: { fileSize: number; partSize: number; partCount: number }) =>
  Array.from({ length: partCount }, (_, index) => partLength({ partNumber: index + 1, partSize, partCount, fileSize }));

describe("planParts", () => {
  it("uses the preferred part size when the file fits in 10,000 parts", () => {
    expect(planParts({ fileSize: 100 * MiB, preferredPartSize: 8 * MiB })).toEqual({ partSize: 8 * MiB, partCount: 13 });
    expect(planParts({ fileSize: 16 * MiB, preferredPartSize: 8 * MiB })).toEqual({ partSize: 8 * MiB, partCount: 2 });
  });

  it("never goes below S3's 5 MiB minimum", () => {
    expect(planParts({ fileSize: 12 * MiB, preferredPartSize: 1024 })).toEqual({ partSize: MIN_PART_SIZE, partCount: 3 });
  });

  it("gives a small or empty file one part", () => {
    expect(planParts({ fileSize: 1, preferredPartSize: 8 * MiB })).toEqual({ partSize: 8 * MiB, partCount: 1 });
    expect(planParts({ fileSize: 0, preferredPartSize: 8 * MiB })).toEqual({ partSize: 8 * MiB, partCount: 1 });
  });

  it("keeps exactly 10,000 parts at the preferred size", () => {
    expect(planParts({ fileSize: MAX_PARTS * 5 * MiB, preferredPartSize: 5 * MiB })).toEqual({ partSize: 5 * MiB, partCount: MAX_PARTS });
  });

  it("grows the part size in whole MiB when the file would need more than 10,000 parts", () => {
    // One byte past 10,000 parts of 5 MiB.
    expect(planParts({ fileSize: MAX_PARTS * 5 * MiB + 1, preferredPartSize: 5 * MiB })).toEqual({ partSize: 6 * MiB, partCount: 8334 });
    // 100 GiB at 5 MiB would be 20,480 parts: 102,400 MiB / 10,000 rounds up to 11 MiB.
    expect(planParts({ fileSize: 100 * GiB, preferredPartSize: 5 * MiB })).toEqual({ partSize: 11 * MiB, partCount: 9310 });
  });

  it("always fits the file in at most 10,000 equal parts and a shorter or equal last one", () => {
    for (const fileSize of [1, 5 * MiB - 1, 5 * MiB, 5 * MiB + 1, 49 * GiB, 50 * GiB + 7, 123 * GiB + 4567, 5 * 1024 * GiB]) {
      for (const preferredPartSize of [0, 5 * MiB, 8 * MiB + 3, 64 * MiB]) {
        const { partSize, partCount } = planParts({ fileSize, preferredPartSize });
        expect(partCount).toBeLessThanOrEqual(MAX_PARTS);
        expect(partSize).toBeGreaterThanOrEqual(MIN_PART_SIZE);
        expect(partSize * partCount).toBeGreaterThanOrEqual(fileSize);
        if (fileSize > 0) expect(partSize * (partCount - 1)).toBeLessThan(fileSize);
        if (partSize !== Math.max(MIN_PART_SIZE, preferredPartSize)) expect(partSize % MiB).toBe(0);
      }
    }
  });
});

describe("partLength", () => {
  it("gives every part the part size but the last, which holds the rest", () => {
    const plan = { fileSize: 12 * MiB + 5, partSize: 5 * MiB, partCount: 3 };
    expect(lengths(plan)).toEqual([5 * MiB, 5 * MiB, 2 * MiB + 5]);
  });

  it("gives a full last part when the file is a whole number of parts", () => {
    expect(lengths({ fileSize: 10 * MiB, partSize: 5 * MiB, partCount: 2 })).toEqual([5 * MiB, 5 * MiB]);
  });

  it("gives a one-part file its whole size", () => {
    expect(lengths({ fileSize: 1234, partSize: 5 * MiB, partCount: 1 })).toEqual([1234]);
  });

  it("adds up to the file for every plan planParts makes", () => {
    for (const fileSize of [1, 5 * MiB, 5 * MiB + 1, 333 * MiB + 17, MAX_PARTS * 5 * MiB + 1]) {
      const plan = { fileSize, ...planParts({ fileSize, preferredPartSize: 5 * MiB }) };
      const all = lengths(plan);
      expect(all.reduce((sum, length) => sum + length, 0)).toBe(fileSize);
      expect(all.every((length) => length > 0 && length <= plan.partSize)).toBe(true);
    }
  });
});
