import type { APIRequestContext } from "@playwright/test";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { e2eAppLog, e2eStack } from "../e2e-stack";
import { expect, fileBytes, test } from "./world";

/** The value of one sample (`name` or `name{labels}` exactly as exposed), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

test.describe("request ids", () => {
  test("a sane x-request-id is answered back; otherwise the server makes one", async ({ api, world }) => {
    const given = `e2e-${crypto.randomUUID()}`;
    const kept = await api.call("GET", `/videos/${crypto.randomUUID()}`, { as: world.users.owner, headers: { "x-request-id": given } });
    expect(kept.status).toBe(404);
    expect(kept.headers["x-request-id"]).toBe(given);
    const made = await api.call("GET", `/courses/${world.courseId}/videos`, { as: world.users.owner, headers: { "x-request-id": "not sane!" } });
    expect(made.status).toBe(200);
    expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a storage failure is a generic 500 whose log line carries the request id of the response", async ({ api, world }) => {
    const data = fileBytes(200_000, 7);
    const { body } = await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length });
    const upload = body.data;
    await storeAdmin(e2eStack().storage.adminEndpoint).addFault({ kind: "status", status: 500, operation: "CompleteMultipartUpload", keyPrefix: upload.storageKey, count: 10 });
    const failed = await api.uploadAll(world.users.owner, upload, data);
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side. Please try again." } });
    const requestId = failed.headers["x-request-id"] ?? "";
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect
      .poll(() => e2eAppLog().find((line) => line.reqId === requestId && line.msg === "request failed"), { timeout: 10_000 })
      .toMatchObject({ level: "error", reqId: requestId, method: "POST", path: `/api/v1/education/videos/${upload.videoId}/complete`, err: expect.any(Object) });
  });
});

test.describe("metrics", () => {
  const scrape = (request: APIRequestContext, token?: string) =>
    request.get("/api/metrics", { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  test("refuse a missing or wrong token with 401", async ({ request }) => {
    for (const token of [undefined, "wrong-token-of-some-length"]) {
      const response = await scrape(request, token);
      expect(response.status()).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  test("an upload moves the upload counters and the complete latency histogram", async ({ request, api, world }) => {
    const token = e2eStack().metricsToken;
    const before = await (await scrape(request, token)).text();
    const data = fileBytes(300_000, 5);
    const { body } = await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length });
    expect((await api.uploadAll(world.users.owner, body.data, data)).status).toBe(200);

    const response = await scrape(request, token);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = await response.text();
    // Other tests upload at the same time: at least ours.
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved("lectern_uploads_started_total")).toBeGreaterThanOrEqual(1);
    expect(moved("lectern_uploads_completed_total")).toBeGreaterThanOrEqual(1);
    expect(moved("lectern_uploaded_bytes_total")).toBeGreaterThanOrEqual(data.length);
    expect(moved('lectern_upload_complete_duration_seconds_count{status="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^lectern_worker_last_heartbeat_timestamp_seconds\{worker="[^"]+",host="[^"]+"\} [\d.e+]+$/m);
    expect(after).toContain("nodejs_eventloop_lag_seconds");
  });
});
