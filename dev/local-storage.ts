import fs from "node:fs/promises";
import path from "node:path";
import { LOCAL_STORAGE_DEFAULTS } from "@/lib/development-defaults";
import type { CorsRule } from "./s3-store/cors";
import { type S3Store, startS3Store } from "./s3-store/server";

/** What the browser needs from storage: PUT parts, GET media, and read the ETag (and Retry-After) of responses. */
export function appCorsRules(origins: string[]): CorsRule[] {
  return [
    {
      id: "lectern-app",
      allowedOrigins: origins,
      allowedMethods: ["GET", "HEAD", "PUT", "POST", "DELETE"],
      allowedHeaders: ["*"],
      exposeHeaders: ["ETag", "Retry-After", "Content-Range", "Content-Length", "x-amz-request-id"],
      maxAgeSeconds: 3600,
    },
  ];
}

export type LocalStorage = { store: S3Store; env: Record<string, string> };

/**
 * Starts the local S3-compatible store with the app's bucket and CORS ready,
 * and returns the STORAGE_* variables that point the app at it.
 */
export async function startLocalStorage({
  dataDir,
  port,
  adminPort,
  appOrigins,
  fresh = false,
}: {
  dataDir: string;
  port: number;
  adminPort: number;
  appOrigins: string[];
  fresh?: boolean;
}): Promise<LocalStorage> {
  const defaults = LOCAL_STORAGE_DEFAULTS;
  if (fresh) await fs.rm(dataDir, { recursive: true, force: true });
  const store = await startS3Store({
    dataDir: path.resolve(dataDir),
    port,
    adminPort,
    region: defaults.region,
    credentials: [{ accessKeyId: defaults.accessKeyId, secretAccessKey: defaults.secretAccessKey }],
    buckets: [{ name: defaults.bucket, cors: appCorsRules(appOrigins) }],
    log: (line) => console.log(`[storage] ${line}`),
  });
  return {
    store,
    env: {
      STORAGE_ENDPOINT: store.endpoint,
      STORAGE_REGION: defaults.region,
      STORAGE_BUCKET: defaults.bucket,
      STORAGE_ACCESS_KEY: defaults.accessKeyId,
      STORAGE_SECRET_KEY: defaults.secretAccessKey,
      STORAGE_FORCE_PATH_STYLE: "true",
    },
  };
}
