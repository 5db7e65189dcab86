import { describe, expect, it } from "vitest";
import { assertSameSet, orderMismatch } from "@/lib/courses/order";

describe("orderMismatch", () => {
  it("accepts any permutation of the current set, and the empty set", () => {
    expect(orderMismatch({ current: ["a", "b", "c"], proposed: ["c", "a", "b"] })).toBeUndefined();
    expect(orderMismatch({ current: [], proposed: [] })).toBeUndefined();
  });

  it("names what is missing, extra and duplicated, each once", () => {
    expect(orderMismatch({ current: ["a", "b", "c"], proposed: ["a", "a", "a", "x"] })).toEqual({ missing: ["b", "c"], extra: ["x"], duplicated: ["a"] });
  });

  it("refuses with 400 order_mismatch and a message that counts the differences", () => {
    expect(() => assertSameSet({ current: ["a", "b"], proposed: ["a", "x"], noun: "lessons" })).toThrow(
      expect.objectContaining({ status: 400, code: "order_mismatch", message: expect.stringMatching(/1 missing, 1 not in it/), details: { missing: ["b"], extra: ["x"], duplicated: [] } }),
    );
  });
});
