import { localStorageConfig } from "@/lib/development-defaults";
import { type Env, env } from "@/lib/env";
import type { StorageConfig } from "./storage";

type StorageEnv = Pick<
  Env,
  | "NODE_ENV"
  | "STORAGE_ENDPOINT"
  | "STORAGE_REGION"
  | "STORAGE_BUCKET"
  | "STORAGE_ACCESS_KEY"
  | "STORAGE_SECRET_KEY"
  | "STORAGE_FORCE_PATH_STYLE"
  | "STORAGE_PUBLIC_URL"
  | "LOCAL_S3_PORT"
>;

/** AWS's own default region, and the bucket name outside production (where STORAGE_BUCKET is required). */
const DEFAULTS = { region: "us-east-1", bucket: "lectern" };

/**
 * The storage configuration from STORAGE_*. Outside production an unset endpoint means the dev stack's local store
 * (and its keys); in production, AWS S3 itself, with the SDK's default credential chain unless keys are given.
 */
export function resolveStorageConfig(env: StorageEnv): StorageConfig {
  const keys =
    env.STORAGE_ACCESS_KEY && env.STORAGE_SECRET_KEY
      ? { accessKeyId: env.STORAGE_ACCESS_KEY, secretAccessKey: env.STORAGE_SECRET_KEY }
      : undefined;
  if (!env.STORAGE_ENDPOINT && env.NODE_ENV !== "production") {
    const local = localStorageConfig(env.LOCAL_S3_PORT);
    return {
      endpoint: local.endpoint,
      region: env.STORAGE_REGION ?? local.region,
      bucket: env.STORAGE_BUCKET ?? local.bucket,
      credentials: keys ?? local.credentials,
      forcePathStyle: env.STORAGE_FORCE_PATH_STYLE ?? true,
      publicUrl: env.STORAGE_PUBLIC_URL,
      provider: "local",
    };
  }
  const endpoint = env.STORAGE_ENDPOINT;
  const r2 = endpoint !== undefined && /\.r2\.cloudflarestorage\.com/.test(endpoint);
  return {
    endpoint,
    region: env.STORAGE_REGION ?? (r2 ? "auto" : DEFAULTS.region),
    bucket: env.STORAGE_BUCKET ?? DEFAULTS.bucket,
    credentials: keys,
    // Custom endpoints (MinIO, R2) take path-style URLs; AWS itself prefers virtual hosts.
    forcePathStyle: env.STORAGE_FORCE_PATH_STYLE ?? Boolean(endpoint),
    publicUrl: env.STORAGE_PUBLIC_URL,
    provider: r2 ? "r2" : "s3",
  };
}

/** The app's storage configuration (lib/storage builds its client from it; the CSP allows its origins). */
export const storageConfig = resolveStorageConfig(env);
