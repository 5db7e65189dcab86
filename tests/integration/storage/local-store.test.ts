import path from "node:path";
import fs from "node:fs/promises";
import { CreateBucketCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { DATA_DIR } from "@/dev/database";
import { startS3Store } from "@/dev/s3-store/server";
import { createS3Client, createStorage, storageErrorCode } from "@/lib/storage/storage";
import { bytes, s3ErrorOf, storageTarget } from "../../helpers/storage-target";
import { listMultipartUploads } from "../../helpers/multipart-uploads";

// Behaviour only the local store has (R2 mode, fault injection, its data on disk), so no real service runs these.
const target = storageTarget();
const { storage, prefix } = target;
const MiB = 1024 * 1024;
const credentials = { accessKeyId: "local-test", secretAccessKey: "local-test-secret" };
const dirs: string[] = [];

afterAll(async () => {
  await target.admin?.clearFaults();
  for (const upload of await listMultipartUploads(storage, { prefix })) await storage.abortMultipartUpload(upload);
  await storage.deletePrefix({ prefix }).catch(() => {});
  target.close();
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function ownStore(mode: "s3" | "r2") {
  const dataDir = path.join(DATA_DIR, `test-store-${mode}-${process.pid}-${dirs.length}`);
  dirs.push(dataDir);
  const store = await startS3Store({ dataDir, credentials: [credentials], mode, buckets: [{ name: "media" }] });
  const own = createStorage({ endpoint: store.endpoint, region: "us-east-1", bucket: "media", credentials, forcePathStyle: true, provider: "local" });
  return { store, storage: own, dataDir };
}

async function putPart(key: string, uploadId: string, partNumber: number, body: Buffer<ArrayBuffer>, on = storage) {
  const url = await on.presignUploadPart({ key, uploadId, partNumber, contentLength: body.length, expiresIn: 60 });
  return fetch(url, { method: "PUT", body });
}

describe.skipIf(!target.local)("local store", () => {
  it("in r2 mode refuses non-last parts of unequal size, as Cloudflare R2 does", async () => {
    const { store, storage: r2 } = await ownStore("r2");
    try {
      const key = "uneven.mp4";
      const { uploadId } = await r2.createMultipartUpload({ key, contentType: "video/mp4" });
      const sizes = [6 * MiB, 5 * MiB, 100];
      const parts = [];
      for (const [index, size] of sizes.entries()) {
        const response = await putPart(key, uploadId, index + 1, bytes(size, index), r2);
        parts.push({ partNumber: index + 1, etag: response.headers.get("etag") ?? "" });
      }
      const refused = await r2.completeMultipartUpload({ key, uploadId, parts }).then(() => "ok", (error: unknown) => error);
      expect(storageErrorCode(refused)).toBe("InvalidPart");
      expect(String((refused as Error).message)).toMatch(/same length/);

      // Equal parts complete; so does the same upload in plain S3 mode (checked by the multipart suite).
      const same = await putPart(key, uploadId, 2, bytes(6 * MiB, 9), r2);
      parts[1] = { partNumber: 2, etag: same.headers.get("etag") ?? "" };
      expect((await r2.completeMultipartUpload({ key, uploadId, parts })).etag).toMatch(/-3"$/);
    } finally {
      r2.destroy();
      await store.close();
    }
  });

  it("keeps objects and unfinished uploads across a restart", async () => {
    const first = await ownStore("s3");
    await first.storage.putObject({ key: "kept.txt", body: "still here", contentType: "text/plain" });
    const { uploadId } = await first.storage.createMultipartUpload({ key: "pending.mp4", contentType: "video/mp4" });
    await putPart("pending.mp4", uploadId, 1, bytes(1000), first.storage);
    first.storage.destroy();
    await first.store.close();

    const again = await startS3Store({ dataDir: first.dataDir, credentials: [credentials] });
    const reopened = createStorage({ endpoint: again.endpoint, region: "us-east-1", bucket: "media", credentials, forcePathStyle: true, provider: "local" });
    try {
      expect(await reopened.headObject({ key: "kept.txt" })).toMatchObject({ size: 10 });
      expect(await reopened.listParts({ key: "pending.mp4", uploadId })).toEqual([expect.objectContaining({ partNumber: 1, size: 1000 })]);
    } finally {
      reopened.destroy();
      await again.close();
    }
  });

  it("creates and heads buckets, refusing bad names and duplicates", async () => {
    const { store, storage: own } = await ownStore("s3");
    const client = createS3Client({ region: "us-east-1", endpoint: store.endpoint, forcePathStyle: true, credentials });
    try {
      await client.send(new CreateBucketCommand({ Bucket: "second-bucket" }));
      await client.send(new HeadBucketCommand({ Bucket: "second-bucket" }));
      const code = (promise: Promise<unknown>) => promise.then(() => "ok", (error: unknown) => storageErrorCode(error));
      expect(await code(client.send(new CreateBucketCommand({ Bucket: "second-bucket" })))).toBe("BucketAlreadyOwnedByYou");
      expect(await code(client.send(new CreateBucketCommand({ Bucket: "Bad_Name" })))).toBe("InvalidBucketName");
      expect(await code(client.send(new HeadBucketCommand({ Bucket: "missing-bucket" })))).toBe("NotFound");
    } finally {
      client.destroy();
      own.destroy();
      await store.close();
    }
  });

  it("answers a malformed URI with 400 InvalidURI and keeps serving", async () => {
    const endpoint = target.config.endpoint ?? "";
    const response = await fetch(`${endpoint}/${target.config.bucket}/bad%E0%A4key`);
    expect(await s3ErrorOf(response)).toMatchObject({ status: 400, code: "InvalidURI" });
    expect((await fetch(`${endpoint}/${target.config.bucket}/x`)).status).toBe(403);
  });

  describe("fault injection", () => {
    it("fails the next part uploads with a status and Retry-After, then lets them through", async () => {
      const key = `${prefix}faults.mp4`;
      const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
      await target.admin?.addFault({ kind: "status", status: 503, retryAfterSeconds: 2, count: 2 });
      const first = await putPart(key, uploadId, 1, bytes(1000));
      expect(first.headers.get("retry-after")).toBe("2");
      expect(await s3ErrorOf(first)).toMatchObject({ status: 503, code: "SlowDown" });
      expect((await putPart(key, uploadId, 1, bytes(1000))).status).toBe(503);
      expect((await putPart(key, uploadId, 1, bytes(1000))).status).toBe(200);

      await target.admin?.addFault({ kind: "status", status: 429, retryAfterSeconds: 1 });
      expect(await s3ErrorOf(await putPart(key, uploadId, 2, bytes(10)))).toMatchObject({ status: 429 });
      await target.admin?.addFault({ kind: "status", status: 500 });
      expect(await s3ErrorOf(await putPart(key, uploadId, 2, bytes(10)))).toMatchObject({ status: 500, code: "InternalError" });
    });

    it("cuts the connection mid-body, storing nothing for that part", async () => {
      const key = `${prefix}reset.mp4`;
      const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
      await target.admin?.addFault({ kind: "reset", afterBytes: 64 * 1024 });
      const outcome = await putPart(key, uploadId, 1, bytes(2 * MiB)).then((response) => `status ${response.status}`, () => "network error");
      expect(outcome).toBe("network error");
      expect(await storage.listParts({ key, uploadId })).toEqual([]);
      expect((await putPart(key, uploadId, 1, bytes(2 * MiB))).status).toBe(200);
    });

    it("adds latency", async () => {
      const key = `${prefix}slow.mp4`;
      const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
      await target.admin?.addFault({ kind: "latency", ms: 400 });
      const started = Date.now();
      expect((await putPart(key, uploadId, 1, bytes(10))).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    });

    it("counts part requests and bytes received", async () => {
      const before = await target.admin?.stats();
      const key = `${prefix}stats.mp4`;
      const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
      await putPart(key, uploadId, 1, bytes(4321));
      const after = await target.admin?.stats();
      expect((after?.bytesReceived ?? 0) - (before?.bytesReceived ?? 0)).toBe(4321);
      expect((after?.requests.UploadPart ?? 0) - (before?.requests.UploadPart ?? 0)).toBe(1);
    });
  });
});
