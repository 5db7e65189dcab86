import { describe, expect, it } from "vitest";
import { percent, retentionAt, retentionSummary, retentionTenths } from "@/app/components/analytics/retention";

const halfWatched = Array.from({ length: 100 }, (_, index) => (index < 50 ? 1 : 0));

describe("retention chart helpers", () => {
  it("reads the curve at a position of the video", () => {
    expect(retentionAt(halfWatched, 0)).toBe(1);
    expect(retentionAt(halfWatched, 0.495)).toBe(1);
    expect(retentionAt(halfWatched, 0.5)).toBe(0);
    expect(retentionAt(halfWatched, 1)).toBe(0);
    expect(retentionAt([], 0.3)).toBe(0);
  });

  it("gives the table a row per tenth of the video with its times and mean share", () => {
    const tenths = retentionTenths(halfWatched, 100);
    expect(tenths).toHaveLength(10);
    expect(tenths[0]).toEqual({ label: "0:00–0:10", share: 1 });
    expect(tenths[4]).toEqual({ label: "0:40–0:50", share: 1 });
    expect(tenths[5]).toEqual({ label: "0:50–1:00", share: 0 });
    expect(tenths.map((tenth) => percent(tenth.share))).toEqual(["100%", "100%", "100%", "100%", "100%", "0%", "0%", "0%", "0%", "0%"]);
  });

  it("summarises the curve in one sentence", () => {
    expect(retentionSummary(halfWatched, 100, 2)).toBe("100% of viewers watched the start, 0% the middle and 0% the end; the lowest point is 0% at 0:51. 2 chapter marks.");
  });
});
