import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { createS3Client, createStorage, type StorageConfig } from "@/lib/storage/storage";

/**
 * Where the storage conformance suite runs: the local store started for this
 * run, or, given S3_TEST_ENDPOINT (+ S3_TEST_BUCKET, S3_TEST_ACCESS_KEY,
 * S3_TEST_SECRET_KEY, S3_TEST_REGION), a real S3-compatible service. Each
 * caller gets its own key prefix, so runs never see each other's objects.
 */
export function storageTarget() {
  const real = process.env.S3_TEST_ENDPOINT;
  const provided = inject("storage");
  const config: StorageConfig = real
    ? {
        endpoint: real,
        region: process.env.S3_TEST_REGION ?? "us-east-1",
        bucket: required("S3_TEST_BUCKET"),
        credentials: { accessKeyId: required("S3_TEST_ACCESS_KEY"), secretAccessKey: required("S3_TEST_SECRET_KEY") },
        forcePathStyle: process.env.S3_TEST_FORCE_PATH_STYLE !== "false",
        provider: "s3",
      }
    : {
        endpoint: provided.endpoint,
        region: provided.region,
        bucket: provided.bucket,
        credentials: { accessKeyId: provided.accessKeyId, secretAccessKey: provided.secretAccessKey },
        forcePathStyle: true,
        publicUrl: "https://cdn.example.com/media/",
        provider: "local",
      };
  const storage = createStorage(config);
  const client = createS3Client(config);
  return {
    config,
    storage,
    /** A raw SDK client on the same service, for calls the app's module does not make. */
    client,
    /** True against the local store: fault injection and store-only behaviour can be tested. */
    local: !real,
    prefix: `conformance/${randomUUID()}/`,
    admin: real ? undefined : storeAdmin(provided.adminEndpoint),
    close: () => {
      storage.destroy();
      client.destroy();
    },
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required when S3_TEST_ENDPOINT is set`);
  return value;
}

/** Deterministic bytes of a given size (not all zeros, so misplaced bytes show). */
export function bytes(size: number, seed = 1): Buffer<ArrayBuffer> {
  const buffer = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    buffer[i] = x & 0xff;
  }
  return buffer;
}

/** Parses an S3 XML error body's code and message. */
export async function s3ErrorOf(response: Response) {
  const text = await response.text();
  return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]+)<\/Message>/.exec(text)?.[1] };
}
