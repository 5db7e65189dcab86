import { describe, expect, it } from "vitest";
import { checkParts, describeProblems, hasProblems, type PartProblems } from "@/lib/videos/part-check";

const MiB = 1024 * 1024;
// Three parts: 5 MiB, 5 MiB and a 1 MiB last one.
const plan = { partSize: 5 * MiB, partCount: 3, fileSize: 11 * MiB };
const stored = [
  { partNumber: 1, etag: '"aaa"', size: 5 * MiB },
  { partNumber: 2, etag: '"bbb"', size: 5 * MiB },
  { partNumber: 3, etag: '"ccc"', size: 1 * MiB },
];
const requested = [
  { partNumber: 1, etag: "aaa" },
  { partNumber: 2, etag: "bbb" },
  { partNumber: 3, etag: "ccc" },
];
const none: PartProblems = { missing: [], unexpected: [], etagMismatch: [], wrongSize: [], notInStorage: [] };

describe("checkParts", () => {
  it("finds nothing wrong when storage holds every listed part with its ETag and planned size", () => {
    const problems = checkParts({ plan, requested, stored });
    expect(problems).toEqual(none);
    expect(hasProblems(problems)).toBe(false);
  });

  it("compares ETags with or without quotes, spaces and the weak prefix", () => {
    const listed = [
      { partNumber: 1, etag: '"aaa"' },
      { partNumber: 2, etag: ' W/"bbb" ' },
      { partNumber: 3, etag: "ccc" },
    ];
    expect(checkParts({ plan, requested: listed, stored })).toEqual(none);
  });

  it("names the parts the list leaves out", () => {
    expect(checkParts({ plan, requested: requested.slice(0, 1), stored })).toEqual({ ...none, missing: [2, 3] });
  });

  it("names listed parts storage does not hold", () => {
    expect(checkParts({ plan, requested, stored: stored.slice(0, 2) })).toEqual({ ...none, notInStorage: [3] });
  });

  it("names parts whose ETag differs from storage's", () => {
    const listed = [requested[0], { partNumber: 2, etag: "other" }, requested[2]].flatMap((part) => (part ? [part] : []));
    expect(checkParts({ plan, requested: listed, stored })).toEqual({ ...none, etagMismatch: [2] });
  });

  it("names parts storage holds at another size than the plan's", () => {
    const short = stored.map((part) => (part.partNumber === 1 ? { ...part, size: 5 * MiB - 1 } : part.partNumber === 3 ? { ...part, size: 5 * MiB } : part));
    expect(checkParts({ plan, requested, stored: short })).toEqual({ ...none, wrongSize: [1, 3] });
  });

  it("names parts beyond the last one, even when storage holds them", () => {
    const extra = { partNumber: 4, etag: "ddd" };
    expect(checkParts({ plan, requested: [...requested, extra], stored: [...stored, { ...extra, size: 1 }] })).toEqual({ ...none, unexpected: [4] });
  });

  it("reports each listed part once, for the first thing wrong with it", () => {
    const problems = checkParts({ plan, requested: [{ partNumber: 2, etag: "other" }, { partNumber: 3, etag: "ccc" }], stored: stored.slice(1, 2) });
    expect(problems).toEqual({ ...none, missing: [1], etagMismatch: [2], notInStorage: [3] });
    expect(hasProblems(problems)).toBe(true);
  });
});

describe("describeProblems", () => {
  it("lists every kind of problem with its parts and says what to do", () => {
    const message = describeProblems({ missing: [1], notInStorage: [2], etagMismatch: [3], wrongSize: [4, 5], unexpected: [9] });
    expect(message).toBe(
      "The parts do not match the upload (missing from the list: 1; not in storage: 2; ETag mismatch: 3; wrong size: 4, 5; beyond the last part: 9). " +
        "Upload those parts again, then complete.",
    );
  });

  it("leaves out the kinds that have no parts", () => {
    expect(describeProblems({ ...none, wrongSize: [2] })).toBe("The parts do not match the upload (wrong size: 2). Upload those parts again, then complete.");
  });
});
