import { describe, expect, it } from "vitest";
import { authorizeScrape } from "@/lib/metrics/access";
import { counterFamily, formatFamilies, histogramFamily } from "@/lib/metrics/exposition";
import { histogramIncrements } from "@/lib/metrics/exposition";
import { AppError } from "@/lib/errors";

const family = { name: "t_seconds", help: "A test.", buckets: [1, 5] };

describe("histograms kept as per-bucket counters", () => {
  it("stores one bucket row, the sum and the count per observation", () => {
    expect(histogramIncrements(family, { status: "2xx" }, 3)).toEqual([
      { name: "t_seconds_bucket", labels: '{"le":"5","status":"2xx"}', value: 1 },
      { name: "t_seconds_sum", labels: '{"status":"2xx"}', value: 3 },
      { name: "t_seconds_count", labels: '{"status":"2xx"}', value: 1 },
    ]);
    expect(histogramIncrements(family, {}, 9)[0]?.labels).toBe('{"le":"+Inf"}');
  });

  it("answers cumulative buckets in Prometheus's text format", () => {
    const rows = [
      ...histogramIncrements(family, {}, 0.5),
      ...histogramIncrements(family, {}, 3),
      ...histogramIncrements(family, {}, 4),
      ...histogramIncrements(family, {}, 60),
    ];
    expect(formatFamilies([histogramFamily(family, rows)])).toBe(
      [
        "# HELP t_seconds A test.",
        "# TYPE t_seconds histogram",
        't_seconds_bucket{le="1"} 1',
        't_seconds_bucket{le="5"} 3',
        't_seconds_bucket{le="+Inf"} 4',
        "t_seconds_sum 67.5",
        "t_seconds_count 4",
        "",
      ].join("\n"),
    );
  });

  it("lists every known label set of a counter, at 0 until counted", () => {
    const counter = counterFamily({ name: "f_total", help: "Failures." }, [{ name: "f_total", labels: '{"reason":"b"}', value: 2 }], [{ reason: "a" }, { reason: "b" }]);
    expect(formatFamilies([counter])).toContain('f_total{reason="a"} 0\nf_total{reason="b"} 2\n');
  });
});

describe("authorizeScrape", () => {
  const request = (authorization?: string) => new Request("http://localhost/api/metrics", { headers: authorization ? { authorization } : {} });
  const refusal = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      return error instanceof AppError ? { status: error.status, code: error.code } : error;
    }
    return undefined;
  };
  const token = "a-metrics-token-of-some-length";

  it("is disabled (404) without a token", () => {
    expect(refusal(() => authorizeScrape(request(`Bearer ${token}`), undefined))).toEqual({ status: 404, code: "not_found" });
  });

  it("refuses a missing or wrong token with 401 and accepts the right one", () => {
    expect(refusal(() => authorizeScrape(request(), token))).toEqual({ status: 401, code: "unauthorized" });
    expect(refusal(() => authorizeScrape(request("Bearer nope"), token))).toEqual({ status: 401, code: "unauthorized" });
    expect(refusal(() => authorizeScrape(request(`Basic ${token}`), token))).toEqual({ status: 401, code: "unauthorized" });
    expect(refusal(() => authorizeScrape(request(`Bearer ${token}`), token))).toBeUndefined();
  });
});
