import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { storageErrorCode } from "@/lib/storage/storage";
import { bytes, s3ErrorOf, storageTarget } from "../../helpers/storage-target";
import { listMultipartUploads } from "../../helpers/multipart-uploads";

const MiB = 1024 * 1024;
const target = storageTarget();
const { storage, prefix } = target;
afterAll(async () => {
  await storage.deletePrefix({ prefix }).catch(() => {});
  for (const upload of await listMultipartUploads(storage, { prefix })) await storage.abortMultipartUpload(upload);
  target.close();
});

const md5 = (data: Buffer) => createHash("md5").update(data).digest("hex");

async function startUpload(name: string) {
  const key = `${prefix}${name}`;
  const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
  return { key, uploadId };
}

/** Uploads one part the way the browser does: plain fetch on a presigned URL. */
async function putPart(key: string, uploadId: string, partNumber: number, body: Buffer<ArrayBuffer>) {
  const url = await storage.presignUploadPart({ key, uploadId, partNumber, contentLength: body.length, expiresIn: 300 });
  const response = await fetch(url, { method: "PUT", body });
  if (!response.ok) throw new Error(`part ${partNumber}: ${response.status} ${await response.text()}`);
  const etag = response.headers.get("etag");
  if (!etag) throw new Error("no ETag on the part response");
  return { partNumber, etag };
}

async function readAll(key: string) {
  const { body } = await storage.getObjectStream({ key });
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function completeError(promise: Promise<unknown>) {
  return promise.then(
    () => "completed",
    (error: unknown) => storageErrorCode(error),
  );
}

describe("multipart upload lifecycle", () => {
  it("uploads parts through presigned URLs, lists them, and completes into one object", async () => {
    const { key, uploadId } = await startUpload("lifecycle.mp4");
    const data = [bytes(5 * MiB, 1), bytes(5 * MiB, 2), bytes(1234, 3)];
    const parts = await Promise.all(data.map((part, index) => putPart(key, uploadId, index + 1, part)));
    parts.forEach((part, index) => expect(part.etag).toBe(`"${md5(data[index] ?? Buffer.alloc(0))}"`));

    expect(await storage.listParts({ key, uploadId })).toEqual(
      parts.map((part, index) => ({ partNumber: part.partNumber, etag: part.etag, size: data[index]?.length })),
    );
    const uploads = await listMultipartUploads(storage, { prefix });
    expect(uploads.map((upload) => upload.uploadId)).toContain(uploadId);

    const { etag } = await storage.completeMultipartUpload({ key, uploadId, parts });
    const partMd5s = Buffer.concat(data.map((part) => Buffer.from(md5(part), "hex")));
    expect(etag).toBe(`"${createHash("md5").update(partMd5s).digest("hex")}-3"`);

    const head = await storage.headObject({ key });
    expect(head).toMatchObject({ size: 10 * MiB + 1234, contentType: "video/mp4", etag });
    expect(md5(await readAll(key))).toBe(md5(Buffer.concat(data)));

    // A range across the boundary between parts 1 and 2.
    const { body } = await storage.getObjectStream({ key, range: { start: 5 * MiB - 3, end: 5 * MiB + 2 } });
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat(data).subarray(5 * MiB - 3, 5 * MiB + 3));
    expect((await listMultipartUploads(storage, { prefix })).map((upload) => upload.uploadId)).not.toContain(uploadId);
  });

  it("replaces a part uploaded twice and pages through ListParts", async () => {
    const { key, uploadId } = await startUpload("pages.mp4");
    await putPart(key, uploadId, 1, bytes(100, 9));
    const replaced = await putPart(key, uploadId, 1, bytes(200, 10));
    for (const partNumber of [2, 3, 4, 5]) await putPart(key, uploadId, partNumber, bytes(10, partNumber));
    const parts = await storage.listParts({ key, uploadId, pageSize: 2 });
    expect(parts.map((part) => part.partNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(parts[0]).toEqual({ partNumber: 1, etag: replaced.etag, size: 200 });
    await storage.abortMultipartUpload({ key, uploadId });
  });

  it("pages through ListMultipartUploads", async () => {
    const uploads = await Promise.all(["a", "b", "c"].map((name) => startUpload(`listing/${name}.mp4`)));
    const listed = await listMultipartUploads(storage, { prefix: `${prefix}listing/`, pageSize: 2 });
    expect(listed.map((upload) => upload.key)).toEqual(uploads.map((upload) => upload.key));
    for (const upload of uploads) await storage.abortMultipartUpload(upload);
  });

  it("refuses bad part lists on Complete and leaves the upload resumable", async () => {
    const { key, uploadId } = await startUpload("refusals.mp4");
    const first = await putPart(key, uploadId, 1, bytes(5 * MiB, 4));
    const second = await putPart(key, uploadId, 2, bytes(1000, 5));

    const complete = (parts: { partNumber: number; etag: string }[]) => completeError(storage.completeMultipartUpload({ key, uploadId, parts }));
    expect(await complete([first, second, { partNumber: 3, etag: second.etag }])).toBe("InvalidPart");
    expect(await complete([first, { partNumber: 2, etag: first.etag }])).toBe("InvalidPart");
    expect(await complete([second, first])).toBe("InvalidPartOrder");
    expect(await complete([first, first])).toBe("InvalidPartOrder");

    // Nothing was lost: the parts are still there and the right list completes.
    expect((await storage.listParts({ key, uploadId })).map((part) => part.partNumber)).toEqual([1, 2]);
    expect(await complete([first, second])).toBe("completed");
    expect(await completeError(storage.completeMultipartUpload({ key, uploadId, parts: [first, second] }))).toBe("NoSuchUpload");
  });

  it("refuses a non-last part under 5 MiB", async () => {
    const { key, uploadId } = await startUpload("small.mp4");
    const parts = [await putPart(key, uploadId, 1, bytes(5 * MiB - 1, 6)), await putPart(key, uploadId, 2, bytes(10, 7))];
    expect(await completeError(storage.completeMultipartUpload({ key, uploadId, parts }))).toBe("EntityTooSmall");
    await storage.abortMultipartUpload({ key, uploadId });
  });

  it("refuses an unknown upload", async () => {
    const key = `${prefix}unknown.mp4`;
    const uploadId = "no-such-upload";
    expect(await completeError(storage.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, etag: '"x"' }] }))).toBe(
      "NoSuchUpload",
    );
    expect(await completeError(storage.listParts({ key, uploadId }))).toBe("NoSuchUpload");
    expect(await storage.abortMultipartUpload({ key, uploadId })).toBe(false);
  });

  it("after Abort, UploadPart answers NoSuchUpload and nothing is listed", async () => {
    const { key, uploadId } = await startUpload("aborted.mp4");
    await putPart(key, uploadId, 1, bytes(1000, 8));
    const url = await storage.presignUploadPart({ key, uploadId, partNumber: 2, contentLength: 10, expiresIn: 300 });
    expect(await storage.abortMultipartUpload({ key, uploadId })).toBe(true);

    const response = await fetch(url, { method: "PUT", body: bytes(10, 2) });
    expect(await s3ErrorOf(response)).toMatchObject({ status: 404, code: "NoSuchUpload" });
    expect((await listMultipartUploads(storage, { prefix })).map((upload) => upload.uploadId)).not.toContain(uploadId);
    expect(await storage.headObject({ key })).toBeUndefined();
  });
});
