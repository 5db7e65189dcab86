import { describe, expect, it } from "vitest";
import { UploadError } from "@/lib/upload-client";
import { backoffDelay, parseRetryAfter, retrying, sleep } from "@/lib/upload-client/retry";
import { createSpeedMeter } from "@/lib/upload-client/speed-meter";

describe("backoffDelay", () => {
  it("draws uniformly below a ceiling that doubles per attempt up to the cap", () => {
    const top = { random: () => 0.999999, baseMs: 500, capMs: 20_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay({ attempt, retry: top }))).toEqual([499, 999, 1999, 3999, 7999, 15_999, 19_999]);
    expect(backoffDelay({ attempt: 3, retry: { random: () => 0 } })).toBe(0);
    expect(backoffDelay({ attempt: 3, retry: { random: () => 0.5, baseMs: 100 } })).toBe(200);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads delay-seconds and HTTP dates as milliseconds", () => {
    expect(parseRetryAfter({ value: "3", now })).toBe(3000);
    expect(parseRetryAfter({ value: " 0 ", now })).toBe(0);
    expect(parseRetryAfter({ value: "Wed, 01 Jan 2025 00:00:07 GMT", now })).toBe(7000);
  });

  it("treats a date in the past as now and ignores what it cannot read", () => {
    expect(parseRetryAfter({ value: "Tue, 31 Dec 2024 23:59:00 GMT", now })).toBe(0);
    for (const value of [null, undefined, "", "-1", "1.5", "soon"]) expect(parseRetryAfter({ value, now })).toBeUndefined();
  });
});

describe("retrying", () => {
  const fast = (delays: number[]) => ({ baseMs: 8, random: () => 0.5, sleep: async (ms: number) => void delays.push(ms) });

  it("retries network errors, 5xx and 429, honouring Retry-After", async () => {
    const delays: number[] = [];
    const failures = [
      new UploadError("network_error", "down", { status: 0 }),
      new UploadError("busy", "busy", { status: 503 }),
      new UploadError("rate_limited", "slow down", { status: 429, retryAfterMs: 2000 }),
    ];
    const result = await retrying({
      retry: fast(delays),
      run: async () => {
        const failure = failures.shift();
        if (failure) throw failure;
        return "ok";
      },
    });
    expect(result).toBe("ok");
    expect(delays).toEqual([4, 8, 2000]);
  });

  it("gives up on 4xx at once and after maxAttempts otherwise", async () => {
    let calls = 0;
    const run = (status: number) => async () => {
      calls += 1;
      throw new UploadError("x", "no", { status });
    };
    await expect(retrying({ run: run(404), retry: fast([]) })).rejects.toMatchObject({ status: 404 });
    expect(calls).toBe(1);
    calls = 0;
    await expect(retrying({ run: run(500), retry: { ...fast([]), maxAttempts: 3 } })).rejects.toMatchObject({ status: 500 });
    expect(calls).toBe(3);
  });
});

describe("sleep", () => {
  it("rejects with the abort reason as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });
});

describe("speed meter", () => {
  it("averages over the window rather than between bursts", () => {
    let now = 0;
    const meter = createSpeedMeter({ windowMs: 10_000, now: () => now });
    meter.restart(0);
    now = 4000;
    expect(meter.sample(4000)).toBe(1000);
    now = 4001; // a burst: parts finishing together do not spike the rate
    expect(meter.sample(8000)).toBeCloseTo(2000, -1);
    now = 30_000;
    meter.sample(20_000);
    now = 40_000;
    expect(meter.sample(30_000)).toBe(1000);
  });
});
