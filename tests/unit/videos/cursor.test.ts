import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/videos/cursor";

const id = "7f0c8c1e-3b7a-4d2e-9a51-2f4c6b8d0e13";
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function refusal(cursor: string): AppError | undefined {
  try {
    decodeCursor(cursor);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  return undefined;
}

describe("video page cursors", () => {
  it("decode to what was encoded, to the microsecond", () => {
    const cursor = { createdAt: "2026-03-04T05:06:07.123456Z", id };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it("keep times with fewer digits, or none, as they are", () => {
    for (const createdAt of ["2026-03-04T05:06:07Z", "2026-03-04T05:06:07.1Z", "2026-03-04T05:06:07.123Z"]) {
      expect(decodeCursor(encodeCursor({ createdAt, id }))).toEqual({ createdAt, id });
    }
  });

  it("are optional: no cursor is the first page", () => {
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor("")).toBeUndefined();
  });

  it("refuse anything this API could not have given out with a validation error", () => {
    const bad = [
      "not base64 json!",
      raw({ createdAt: "2026-03-04T05:06:07Z", id }),
      raw(["2026-03-04T05:06:07Z"]),
      raw(["2026-03-04T05:06:07Z", "not-a-uuid"]),
      raw(["2026-02-31T05:06:07Z", id]),
      raw(["2026-03-04T25:06:07Z", id]),
      raw(["2026-03-04T05:06:07.1234567Z", id]),
      raw(["2026-03-04 05:06:07", id]),
      raw(["1970-01-01T00:00:00Z", id]),
      raw(["2026-03-04T05:06:07Z", id, "extra"]),
      raw([1_700_000_000_000, id]),
    ];
    for (const cursor of bad) {
      const error = refusal(cursor);
      expect(error, cursor).toBeInstanceOf(AppError);
      expect(error?.code).toBe("validation_error");
      expect(error?.status).toBe(400);
      expect(error?.details).toEqual({ fieldErrors: { cursor: ["invalid cursor"] } });
    }
  });
});
