import { GetBucketCorsCommand, PutBucketCorsCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appCorsRules } from "@/dev/local-storage";
import { TEST_ORIGIN } from "../../helpers/global-setup";
import { bytes, s3ErrorOf, storageTarget } from "../../helpers/storage-target";
import { listMultipartUploads } from "../../helpers/multipart-uploads";

const target = storageTarget();
const { storage, prefix, config } = target;

beforeAll(async () => {
  // Against a real service the suite sets the same CORS rules the dev stack gives the local bucket.
  if (!target.local) {
    const [rule] = appCorsRules([TEST_ORIGIN]);
    await target.client.send(
      new PutBucketCorsCommand({
        Bucket: config.bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: rule?.allowedOrigins,
              AllowedMethods: rule?.allowedMethods,
              AllowedHeaders: rule?.allowedHeaders,
              ExposeHeaders: rule?.exposeHeaders,
              MaxAgeSeconds: rule?.maxAgeSeconds,
            },
          ],
        },
      }),
    );
  }
});
afterAll(async () => {
  for (const upload of await listMultipartUploads(storage, { prefix })) await storage.abortMultipartUpload(upload);
  target.close();
});

describe("CORS", () => {
  it("answers the browser's preflight for a part upload from the app's origin", async () => {
    const key = `${prefix}cors.mp4`;
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: "video/mp4" });
    const url = await storage.presignUploadPart({ key, uploadId, partNumber: 1, contentLength: 10, expiresIn: 60 });

    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: { origin: TEST_ORIGIN, "access-control-request-method": "PUT", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(TEST_ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");

    const put = await fetch(url, { method: "PUT", headers: { origin: TEST_ORIGIN }, body: bytes(10) });
    expect(put.status).toBe(200);
    expect(put.headers.get("access-control-allow-origin")).toBe(TEST_ORIGIN);
    expect(put.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("etag");
  });

  it("refuses a preflight from another origin, and gives it no CORS headers on requests", async () => {
    const url = `${config.endpoint}/${config.bucket}/${prefix}x`;
    const preflight = await fetch(url, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "PUT" } });
    expect(await s3ErrorOf(preflight)).toMatchObject({ status: 403, code: "AccessForbidden" });
    const get = await fetch(await storage.presignGetObject({ key: `${prefix}x`, expiresIn: 60 }), { headers: { origin: "https://evil.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reads back the bucket's CORS configuration", async () => {
    const cors = await target.client.send(new GetBucketCorsCommand({ Bucket: config.bucket }));
    const rule = cors.CORSRules?.find((candidate) => candidate.AllowedOrigins?.includes(TEST_ORIGIN));
    expect(rule?.ExposeHeaders).toContain("ETag");
    expect(rule?.AllowedMethods).toEqual(expect.arrayContaining(["PUT", "GET"]));
  });
});
