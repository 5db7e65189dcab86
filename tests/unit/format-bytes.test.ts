import { describe, expect, it } from "vitest";
import { formatBytes } from "@/lib/format-bytes";

describe("formatBytes", () => {
  it("says bytes, then 1024-step units with one decimal under 10", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1.0 KB");
    expect(formatBytes(8 * 1024 ** 2)).toBe("8.0 MB");
    expect(formatBytes(20 * 1024 ** 2)).toBe("20 MB");
    expect(formatBytes(2 * 1024 ** 3)).toBe("2.0 GB");
    expect(formatBytes(3 * 1024 ** 5)).toBe("3072 TB");
  });
});
