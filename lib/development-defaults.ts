import { createHmac } from "node:crypto";
import { type GeneratedSecrets, loadDevelopmentSecrets } from "@/lib/development-secrets";
import { randomSecret } from "@/lib/security/random-secret";

/**
 * Development and tests only: the local services' well-known credentials and the secrets of a checkout. `lib/env.ts`
 * and `lib/storage/config.ts` call into this module only when NODE_ENV is not "production".
 */

/** The database the dev stack's embedded PostgreSQL serves when DATABASE_URL is unset. */
export const LOCAL_DATABASE_DEFAULTS = { user: "lectern", password: "lectern", database: "lectern", port: 54329 };

/** The dev stack's local S3-compatible store, used when STORAGE_ENDPOINT is unset outside production. */
export const LOCAL_STORAGE_DEFAULTS = {
  port: 54330,
  adminPort: 54331,
  region: "us-east-1",
  bucket: "lectern",
  accessKeyId: "lectern-local",
  secretAccessKey: "lectern-local-secret",
};

type Given = {
  NODE_ENV: "development" | "test";
  DATABASE_URL?: string;
  LOCAL_PG_PORT: number;
  AUTH_SECRET?: string;
  PROCESSING_SECRET?: string;
  METRICS_TOKEN?: string;
};

/**
 * What development and tests use for the variables left unset: the embedded database, and secrets that tests get
 * new per process (nothing they sign outlives it) and development reads from (or creates on first run in)
 * `secretsFile`, shared by the dev server, the worker and the CLIs.
 */
export function developmentDefaults(env: Given, { secretsFile }: { secretsFile: string }) {
  const local = LOCAL_DATABASE_DEFAULTS;
  const generated = secrets(env, secretsFile);
  return {
    DATABASE_URL: env.DATABASE_URL ?? `postgres://${local.user}:${local.password}@127.0.0.1:${env.LOCAL_PG_PORT}/${local.database}`,
    ...generated,
    METRICS_TOKEN: env.METRICS_TOKEN ?? (env.NODE_ENV === "development" ? developmentMetricsToken(generated.AUTH_SECRET) : undefined),
  };
}

/**
 * Development's bearer token for `/api/metrics` when METRICS_TOKEN is unset: derived from the checkout's generated
 * AUTH_SECRET, so the dev server and the stack (which prints it) agree without another secret to store. Tests get
 * none: their metrics endpoint is off unless they set one.
 */
export function developmentMetricsToken(authSecret: string): string {
  return createHmac("sha256", authSecret).update("lectern-metrics-token").digest("base64url");
}

function secrets(env: Given, secretsFile: string): GeneratedSecrets {
  if (env.AUTH_SECRET && env.PROCESSING_SECRET) return { AUTH_SECRET: env.AUTH_SECRET, PROCESSING_SECRET: env.PROCESSING_SECRET };
  const generated =
    env.NODE_ENV === "development" ? loadDevelopmentSecrets(secretsFile) : { AUTH_SECRET: randomSecret(), PROCESSING_SECRET: randomSecret() };
  return { AUTH_SECRET: env.AUTH_SECRET ?? generated.AUTH_SECRET, PROCESSING_SECRET: env.PROCESSING_SECRET ?? generated.PROCESSING_SECRET };
}

/** The local store's configuration, at the port the dev stack runs it on. */
export function localStorageConfig(port: number) {
  const defaults = LOCAL_STORAGE_DEFAULTS;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: defaults.region,
    bucket: defaults.bucket,
    credentials: { accessKeyId: defaults.accessKeyId, secretAccessKey: defaults.secretAccessKey },
  };
}
