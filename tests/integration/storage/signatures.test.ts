import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { PutObjectCommand, type S3Client, UploadPartCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, describe, expect, it } from "vitest";
import { createS3Client, createStorage, storageErrorCode } from "@/lib/storage/storage";
import { bytes, s3ErrorOf, storageTarget } from "../../helpers/storage-target";
import { listMultipartUploads } from "../../helpers/multipart-uploads";

const target = storageTarget();
const { storage, prefix, config } = target;
afterAll(async () => {
  await storage.deletePrefix({ prefix }).catch(() => {});
  for (const upload of await listMultipartUploads(storage, { prefix })) await storage.abortMultipartUpload(upload);
  target.close();
});

async function partUrl(contentLength: number) {
  const key = `${prefix}signed.mp4`;
  const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
  return { key, uploadId, url: await storage.presignUploadPart({ key, uploadId, partNumber: 1, contentLength, expiresIn: 300 }) };
}

const clientWith = (credentials: { accessKeyId: string; secretAccessKey: string }) => createS3Client({ ...config, credentials });

describe("presigned UploadPart URLs", () => {
  it("sign the part's Content-Length, so a longer or shorter body is refused", async () => {
    const { url } = await partUrl(1000);
    expect(new URL(url).searchParams.get("X-Amz-SignedHeaders")?.split(";")).toContain("content-length");
    expect(new URL(url).searchParams.has("x-amz-checksum-crc32")).toBe(false);
    expect(await s3ErrorOf(await fetch(url, { method: "PUT", body: bytes(1001) }))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(await s3ErrorOf(await fetch(url, { method: "PUT", body: bytes(999) }))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect((await fetch(url, { method: "PUT", body: bytes(1000) })).status).toBe(200);
  });

  it("refuse a tampered URL", async () => {
    const { url } = await partUrl(10);
    const tampered = new URL(url);
    tampered.searchParams.set("partNumber", "2");
    expect(await s3ErrorOf(await fetch(tampered, { method: "PUT", body: bytes(10) }))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    const forged = new URL(url);
    forged.searchParams.set("X-Amz-Signature", "0".repeat(64));
    expect(await s3ErrorOf(await fetch(forged, { method: "PUT", body: bytes(10) }))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("expire: refused once expiresIn has passed since the signing date, accepted before", async () => {
    const key = `${prefix}expiring.mp4`;
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
    const command = new UploadPartCommand({ Bucket: config.bucket, Key: key, UploadId: uploadId, PartNumber: 1, ContentLength: 10 });
    // The same signing as presignUploadPart, dated in the past instead of waiting for the URL to age.
    const signedSecondsAgo = (seconds: number) =>
      getSignedUrl(target.client, command, { expiresIn: 60, signingDate: new Date(Date.now() - seconds * 1000), signableHeaders: new Set(["content-length"]) });
    const expired = await s3ErrorOf(await fetch(await signedSecondsAgo(90), { method: "PUT", body: bytes(10) }));
    expect(expired).toMatchObject({ status: 403, code: "AccessDenied", message: "Request has expired" });
    expect((await fetch(await signedSecondsAgo(30), { method: "PUT", body: bytes(10) })).status).toBe(200);
  });

  it("signed with a wrong secret or an unknown key are refused", async () => {
    const key = `${prefix}wrong-secret.mp4`;
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
    const accessKeyId = config.credentials?.accessKeyId ?? "";
    const wrongSecret = createStorage({ ...config, credentials: { accessKeyId, secretAccessKey: "not-the-secret" } });
    const unknownKey = createStorage({ ...config, credentials: { accessKeyId: "AKIDUNKNOWN0000", secretAccessKey: "x" } });
    const put = async (other: typeof storage) =>
      s3ErrorOf(await fetch(await other.presignUploadPart({ key, uploadId, partNumber: 1, contentLength: 5, expiresIn: 60 }), { method: "PUT", body: bytes(5) }));
    expect(await put(wrongSecret)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(await put(unknownKey)).toMatchObject({ status: 403, code: "InvalidAccessKeyId" });
  });
});

describe("header-signed requests", () => {
  const key = `${prefix}header.bin`;

  it("are refused with a wrong secret or an unknown key", async () => {
    const accessKeyId = config.credentials?.accessKeyId ?? "";
    const put = (client: S3Client) => client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: "x" })).then(() => "ok", storageErrorCode);
    expect(await put(clientWith({ accessKeyId, secretAccessKey: "wrong" }))).toBe("SignatureDoesNotMatch");
    expect(await put(clientWith({ accessKeyId: "AKIDUNKNOWN0000", secretAccessKey: "x" }))).toBe("InvalidAccessKeyId");
  });

  it("have no access without any signature", async () => {
    const response = await fetch(`${config.endpoint}/${config.bucket}/${key}`);
    expect(response.status).toBe(403);
  });

  it("check Content-MD5 and x-amz-checksum-* against the body", async () => {
    const send = (input: Partial<ConstructorParameters<typeof PutObjectCommand>[0]>) =>
      target.client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: "hello", ...input })).then(() => "ok", storageErrorCode);
    const md5Of = (text: string) => createHash("md5").update(text).digest("base64");
    expect(await send({ ContentMD5: md5Of("hello") })).toBe("ok");
    expect(await send({ ContentMD5: md5Of("other") })).toBe("BadDigest");

    const crc32Of = (text: string) => {
      const buffer = Buffer.alloc(4);
      buffer.writeUInt32BE(crc32(text) >>> 0);
      return buffer.toString("base64");
    };
    expect(await send({ ChecksumCRC32: crc32Of("hello") })).toBe("ok");
    expect(await send({ ChecksumCRC32: crc32Of("other") })).toBe("BadDigest");
    const sha256Of = (text: string) => createHash("sha256").update(text).digest("base64");
    expect(await send({ ChecksumSHA256: sha256Of("hello") })).toBe("ok");
    expect(await send({ ChecksumSHA256: sha256Of("hellO") })).toBe("BadDigest");
  });

  it("check the signed payload hash against the body", async () => {
    const url = `${config.endpoint}/${config.bucket}/${key}`;
    const signed = await import("@smithy/signature-v4").then(async ({ SignatureV4 }) => {
      const { Hash } = await import("@smithy/hash-node");
      const signer = new SignatureV4({
        service: "s3",
        region: config.region,
        credentials: config.credentials ?? { accessKeyId: "", secretAccessKey: "" },
        sha256: Hash.bind(null, "sha256"),
        uriEscapePath: false,
      });
      const { hostname, port, pathname } = new URL(url);
      return signer.sign({
        method: "PUT",
        protocol: "http:",
        hostname,
        port: Number(port),
        path: pathname,
        query: {},
        headers: { host: `${hostname}:${port}`, "content-length": "5", "x-amz-content-sha256": createHash("sha256").update("hello").digest("hex") },
        body: "hello",
      });
    });
    const send = (body: string) => fetch(url, { method: "PUT", headers: signed.headers as Record<string, string>, body });
    expect((await send("hello")).status).toBe(200);
    expect(await s3ErrorOf(await send("HELLO"))).toMatchObject({ status: 400, code: "XAmzContentSHA256Mismatch" });
  });
});
