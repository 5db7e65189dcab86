import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { requestIdFor } from "@/lib/api/handler";
import { createLogger, log, runWithLogger } from "@/lib/logger";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { destination, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
}

describe("logger", () => {
  it("writes one JSON object per line with level, ISO time, msg and the bound request id", () => {
    const { destination, entries, lines } = capture();
    const logger = createLogger({ level: "info", destination });
    logger.child({ reqId: "req-1" }).error({ err: new Error("connection refused"), path: "/api/x" }, "request failed");
    expect(lines).toHaveLength(1);
    const [entry] = entries();
    expect(entry).toMatchObject({ level: "error", msg: "request failed", reqId: "req-1", path: "/api/x", err: { type: "Error", message: "connection refused" } });
    expect(typeof entry?.time).toBe("string");
    expect(new Date(String(entry?.time)).toISOString()).toBe(entry?.time);
    expect(entry).toHaveProperty("pid", process.pid);
  });

  it("drops lines below its level", () => {
    const { destination, entries } = capture();
    const logger = createLogger({ level: "warn", destination });
    logger.info("quiet");
    logger.debug("quieter");
    logger.warn("heard");
    expect(entries().map((entry) => entry.msg)).toEqual(["heard"]);
  });

  it("gives code deeper in a request or job the logger bound to it", async () => {
    const { destination, entries } = capture();
    const job = createLogger({ level: "info", destination }).child({ jobId: "job-7" });
    await runWithLogger(job, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      log().info("deep inside");
    });
    expect(entries()).toEqual([expect.objectContaining({ msg: "deep inside", jobId: "job-7" })]);
    expect(log()).not.toBe(job);
  });
});

describe("requestIdFor", () => {
  const request = (id?: string) => new Request("http://localhost/api/x", { headers: id === undefined ? {} : { "x-request-id": id } });

  it("keeps a sane incoming request id", () => {
    expect(requestIdFor(request("abc-123_4.5:6@edge"))).toBe("abc-123_4.5:6@edge");
  });

  it("makes a new one when there is none or it is not sane", () => {
    for (const given of [undefined, "", "has spaces", "x".repeat(129), "tab\tinside", "<script>", "a/b"]) {
      expect(requestIdFor(request(given))).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
