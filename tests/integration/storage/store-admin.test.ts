import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_DIR } from "@/dev/database";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { startS3Store, type S3Store } from "@/dev/s3-store/server";
import { createStorage, type Storage } from "@/lib/storage/storage";
import { bytes } from "../../helpers/storage-target";

// The local store's own admin endpoint (fault injection), on a store of its own.
const credentials = { accessKeyId: "admin-test", secretAccessKey: "admin-test-secret" };
const dataDir = path.join(DATA_DIR, `test-store-admin-${process.pid}`);
let store: S3Store;
let storage: Storage;

beforeAll(async () => {
  store = await startS3Store({ dataDir, credentials: [credentials], buckets: [{ name: "media" }] });
  storage = createStorage({ endpoint: store.endpoint, region: "us-east-1", bucket: "media", credentials, forcePathStyle: true, provider: "local" });
});
afterAll(async () => {
  storage.destroy();
  await store.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const fault = JSON.stringify({ kind: "status", status: 500, count: 5 });

describe("the store's admin endpoint", () => {
  it("refuses what a cross-site page can send without CORS: a text/plain body, or no admin header", async () => {
    // What a no-cors fetch or a form from any page can send: a CORS-safelisted content type, no custom header.
    const textPlain = await fetch(`${store.adminEndpoint}/faults`, { method: "POST", headers: { "content-type": "text/plain" }, body: fault });
    expect(textPlain.status).toBe(403);
    const withHeaderButText = await fetch(`${store.adminEndpoint}/faults`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", "x-lectern-admin": "1" },
      body: fault,
    });
    expect(withHeaderButText.status).toBe(415);
    expect(await withHeaderButText.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    const jsonWithoutHeader = await fetch(`${store.adminEndpoint}/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: fault });
    expect(jsonWithoutHeader.status).toBe(403);
    expect(await jsonWithoutHeader.json()).toMatchObject({ error: { code: "admin_header_required", message: expect.stringContaining("x-lectern-admin") } });
    const form = await fetch(`${store.adminEndpoint}/faults`, { method: "POST", body: new URLSearchParams({ kind: "status" }) });
    expect(form.status).toBe(403);
    expect((await fetch(`${store.adminEndpoint}/faults`, { method: "DELETE" })).status).toBe(403);
    expect(store.faults.list()).toEqual([]);

    // No CORS: a preflight gets no permission to send the header or JSON.
    const preflight = await fetch(`${store.adminEndpoint}/faults`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-lectern-admin" },
    });
    expect(preflight.ok).toBe(false);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-headers")).toBeNull();

    // The store's own client sends both.
    await storeAdmin(store.adminEndpoint).addFault({ kind: "status", status: 500 });
    expect(store.faults.list()).toHaveLength(1);
    await storeAdmin(store.adminEndpoint).clearFaults();
  });

  it("a mixed rule faults every Nth part request, its faults in turn, and counts what it injected", async () => {
    const admin = storeAdmin(store.adminEndpoint);
    const key = "mixed/video.mp4";
    await admin.addFault({
      kind: "mixed",
      every: 3,
      faults: [{ kind: "status", status: 503, retryAfterSeconds: 1 }, { kind: "status", status: 429, retryAfterSeconds: 2 }, { kind: "latency", ms: 5 }],
      count: 100,
      keyPrefix: "mixed/",
    });
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
    const statuses: number[] = [];
    for (let partNumber = 1; partNumber <= 9; partNumber++) {
      const body = bytes(100, partNumber);
      const url = await storage.presignUploadPart({ key, uploadId, partNumber, contentLength: body.length, expiresIn: 60 });
      const response = await fetch(url, { method: "PUT", body });
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get("retry-after")).toBe("2");
    }
    expect(statuses).toEqual([200, 200, 503, 200, 200, 429, 200, 200, 200]);
    const [rule] = (await admin.listFaults()).faults;
    expect(rule).toMatchObject({ matched: 9, injected: { "status 503": 1, "status 429": 1, latency: 1 }, remaining: 97 });
    expect((await admin.stats()).faultsInjected).toMatchObject({ "status 503": 1, "status 429": 1, latency: 1 });
    await admin.clearFaults();
  });

  it("a throttle fault reads the part's body at the given rate", async () => {
    const key = "throttle/video.mp4";
    await storeAdmin(store.adminEndpoint).addFault({ kind: "throttle", bytesPerSecond: 256 * 1024, keyPrefix: "throttle/" });
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
    const body = bytes(256 * 1024, 4);
    const url = await storage.presignUploadPart({ key, uploadId, partNumber: 1, contentLength: body.length, expiresIn: 60 });
    const started = performance.now();
    expect((await fetch(url, { method: "PUT", body })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(await storage.listParts({ key, uploadId })).toMatchObject([{ partNumber: 1, size: body.length }]);
  });

  it("a throttle fault on GetObject sends the body at the given rate, from its first bytes on", async () => {
    const key = "throttle-get/video.mp4";
    const body = bytes(512 * 1024, 5);
    await storage.putObject({ key, body: Buffer.from(body), contentType: "video/mp4" });
    await storeAdmin(store.adminEndpoint).addFault({ kind: "throttle", bytesPerSecond: 256 * 1024, operation: "GetObject", keyPrefix: "throttle-get/" });
    const url = await storage.presignGetObject({ key, expiresIn: 60 });
    const started = performance.now();
    const response = await fetch(url);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    // A slow link delivers its first bytes soon; only the whole takes long.
    expect(performance.now() - started).toBeLessThan(1000);
    let received = first?.value?.length ?? 0;
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) received += chunk.value.length;
    expect(received).toBe(body.length);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it("refuses a mixed rule without exactly one of every and rate", async () => {
    const response = await fetch(`${store.adminEndpoint}/faults`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-lectern-admin": "1" },
      body: JSON.stringify({ kind: "mixed", faults: [{ kind: "reset" }] }),
    });
    expect(response.status).toBe(400);
  });
});
