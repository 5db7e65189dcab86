import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nextServerArgs } from "@/dev/next-server-args";
import { LOCAL_DATABASE_DEFAULTS, LOCAL_STORAGE_DEFAULTS } from "@/lib/development-defaults";
import { parseEnv } from "@/lib/env";
import { resolveStorageConfig } from "@/lib/storage/config";

const secretsFile = () => path.join(mkdtempSync(path.join(tmpdir(), "lectern-env-")), ".data", "dev-secrets.json");
const PRODUCTION = { NODE_ENV: "production", DATABASE_URL: "postgres://db/x", STORAGE_BUCKET: "media" } as const;
const strongSecret = "k3Qw9vYzXf2Lr8Tn5Hb1Jd6Gs4Mc7Pe0Ua";

describe("parseEnv", () => {
  it("defaults to the embedded database and a development secret", () => {
    const env = parseEnv({}, { secretsFile: secretsFile() });
    expect(env.DATABASE_URL).toBe("postgres://lectern:lectern@127.0.0.1:54329/lectern");
    expect(env.AUTH_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(env.AUTH_PASSWORD_SIGNIN).toBe(true);
    expect(env.AUTH_TRUST_HOST).toBe(true);
  });

  it("generates random development secrets on first run into the data folder and keeps them", () => {
    const file = secretsFile();
    const first = parseEnv({}, { secretsFile: file });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ AUTH_SECRET: first.AUTH_SECRET, PROCESSING_SECRET: first.PROCESSING_SECRET });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.PROCESSING_SECRET).not.toBe(first.AUTH_SECRET);
    // The worker and the CLIs read the same secrets as the dev server.
    expect(parseEnv({}, { secretsFile: file })).toMatchObject({ AUTH_SECRET: first.AUTH_SECRET, PROCESSING_SECRET: first.PROCESSING_SECRET });
    // Another checkout gets its own.
    expect(parseEnv({}, { secretsFile: secretsFile() }).AUTH_SECRET).not.toBe(first.AUTH_SECRET);
    // Explicit values win over the file.
    expect(parseEnv({ AUTH_SECRET: strongSecret }, { secretsFile: file }).AUTH_SECRET).toBe(strongSecret);
  });

  it("refuses the secrets that were published as defaults, except in tests", () => {
    const file = secretsFile();
    for (const [name, value] of [
      ["AUTH_SECRET", "lectern-local-development-secret-do-not-use-in-production"],
      ["AUTH_SECRET", "lectern-e2e-secret"],
      ["PROCESSING_SECRET", "lectern-local-processing-secret"],
      ["PROCESSING_SECRET", "lectern-e2e-processing-secret"],
    ] as const) {
      expect(() => parseEnv({ [name]: value }, { secretsFile: file })).toThrow(new RegExp(`${name}: a publicly known value`));
      const other = name === "AUTH_SECRET" ? { PROCESSING_SECRET: strongSecret } : { AUTH_SECRET: strongSecret };
      expect(() => parseEnv({ ...PRODUCTION, ...other, [name]: value })).toThrow(new RegExp(`${name}: a publicly known value`));
      expect(parseEnv({ NODE_ENV: "test", [name]: value })[name]).toBe(value);
    }
  });

  it("gives tests and `next build` random secrets of their own, never a fixed default", () => {
    const a = parseEnv({ NODE_ENV: "test" });
    const b = parseEnv({ NODE_ENV: "test" });
    expect(a.AUTH_SECRET).not.toBe(b.AUTH_SECRET);
    expect(a.PROCESSING_SECRET).not.toBe(b.PROCESSING_SECRET);
    const build = parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" });
    expect(build.AUTH_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("wants a long AUTH_SECRET in production", () => {
    expect(() => parseEnv({ ...PRODUCTION, AUTH_SECRET: "short", PROCESSING_SECRET: strongSecret })).toThrow(/AUTH_SECRET: at least 32 characters/);
  });

  it("binds the dev and e2e servers to 127.0.0.1 unless HOST opens them", () => {
    const env = parseEnv({}, { secretsFile: secretsFile() });
    expect(env.HOST).toBe("127.0.0.1");
    expect(nextServerArgs({ mode: "dev", port: "3000", host: env.HOST })).toEqual(["dev", "--port", "3000", "--hostname", "127.0.0.1"]);
    const open = parseEnv({ HOST: "0.0.0.0" }, { secretsFile: secretsFile() });
    expect(nextServerArgs({ mode: "start", port: "3100", host: open.HOST })).toEqual(["start", "--port", "3100", "--hostname", "0.0.0.0"]);
  });

  it("reads the sign-in throttle's limits, with defaults", () => {
    const env = parseEnv({ NODE_ENV: "test" });
    expect([env.SIGN_IN_ACCOUNT_LIMIT, env.SIGN_IN_ADDRESS_LIMIT, env.SIGN_IN_WINDOW_SECONDS]).toEqual([10, 50, 900]);
    expect(parseEnv({ NODE_ENV: "test", SIGN_IN_ACCOUNT_LIMIT: "3" }).SIGN_IN_ACCOUNT_LIMIT).toBe(3);
    expect(() => parseEnv({ NODE_ENV: "test", SIGN_IN_WINDOW_SECONDS: "0" })).toThrow(/SIGN_IN_WINDOW_SECONDS/);
  });

  it("follows LOCAL_PG_PORT for the embedded default", () => {
    expect(parseEnv({ LOCAL_PG_PORT: "6000" }, { secretsFile: secretsFile() }).DATABASE_URL).toContain("127.0.0.1:6000/");
  });

  it("refuses a production server without a database, bucket or secret, naming each", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(
      /DATABASE_URL: required in production[\s\S]*STORAGE_BUCKET: required in production[\s\S]*PROCESSING_SECRET[\s\S]*AUTH_SECRET/,
    );
  });

  it("lets `next build` import modules without production services", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });

  it("accepts a complete production environment and does not trust forwarded hosts by default", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://u:p@db:5432/lectern",
      AUTH_SECRET: strongSecret,
      STORAGE_BUCKET: "lectern-media",
      PROCESSING_SECRET: "a-long-processing-secret",
    });
    expect(env.DATABASE_URL).toBe("postgresql://u:p@db:5432/lectern");
    expect(env.AUTH_TRUST_HOST).toBe(false);
  });

  it("rejects malformed values with the variable's name", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ LOCAL_PG_PORT: "eighty" })).toThrow(/LOCAL_PG_PORT/);
    expect(() => parseEnv({ AUTH_PASSWORD_SIGNIN: "maybe" })).toThrow(/AUTH_PASSWORD_SIGNIN/);
  });

  it("reads who may create courses: anyone by default, or the ADMIN_EMAILS (trimmed, lower case) with COURSE_CREATORS=admins", () => {
    const file = secretsFile();
    expect(parseEnv({}, { secretsFile: file })).toMatchObject({ COURSE_CREATORS: "anyone", ADMIN_EMAILS: [] });
    expect(parseEnv({ COURSE_CREATORS: "admins", ADMIN_EMAILS: " Ann@Example.com, bob@example.com ,," }, { secretsFile: file })).toMatchObject({
      COURSE_CREATORS: "admins",
      ADMIN_EMAILS: ["ann@example.com", "bob@example.com"],
    });
    expect(() => parseEnv({ COURSE_CREATORS: "teachers" }, { secretsFile: file })).toThrow(/COURSE_CREATORS/);
    expect(() => parseEnv({ ADMIN_EMAILS: "ann@example.com, not-an-address" }, { secretsFile: file })).toThrow(/ADMIN_EMAILS/);
  });

  it("points storage at the local store in development", () => {
    expect(resolveStorageConfig(parseEnv({}, { secretsFile: secretsFile() }))).toEqual({
      endpoint: "http://127.0.0.1:54330",
      region: "us-east-1",
      bucket: "lectern",
      credentials: { accessKeyId: "lectern-local", secretAccessKey: "lectern-local-secret" },
      forcePathStyle: true,
      provider: "local",
      publicUrl: undefined,
    });
  });

  it("uses AWS S3 itself in production when no endpoint is given, with the default credential chain", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://db/x",
      AUTH_SECRET: strongSecret,
      STORAGE_BUCKET: "media",
      STORAGE_REGION: "eu-west-1",
      PROCESSING_SECRET: "a-long-processing-secret",
    });
    expect(resolveStorageConfig(env)).toMatchObject({ endpoint: undefined, region: "eu-west-1", bucket: "media", credentials: undefined, forcePathStyle: false, provider: "s3" });
  });

  it("recognises R2, and wants both storage keys or neither", () => {
    const env = parseEnv({
      STORAGE_ENDPOINT: "https://abc123.r2.cloudflarestorage.com",
      STORAGE_ACCESS_KEY: "key",
      STORAGE_SECRET_KEY: "secret",
      STORAGE_PUBLIC_URL: "https://media.example.com",
    });
    expect(resolveStorageConfig(env)).toMatchObject({ provider: "r2", region: "auto", forcePathStyle: true, publicUrl: "https://media.example.com" });
    expect(() => parseEnv({ STORAGE_ACCESS_KEY: "key" })).toThrow(/STORAGE_SECRET_KEY/);
    expect(() => parseEnv({ STORAGE_BUCKET: "Not_A_Bucket" })).toThrow(/STORAGE_BUCKET/);
  });

  it("wants both GitHub credentials or neither", () => {
    expect(() => parseEnv({ AUTH_GITHUB_ID: "id" })).toThrow(/AUTH_GITHUB_SECRET/);
    expect(parseEnv({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "secret" }, { secretsFile: secretsFile() }).AUTH_GITHUB_ID).toBe("id");
  });

  it("counts empty and blank values as unset, for every variable", () => {
    const file = secretsFile();
    const unset = parseEnv({}, { secretsFile: file });
    const blank = parseEnv(
      {
        NODE_ENV: "",
        DATABASE_URL: "",
        LOCAL_PG_PORT: " ",
        STORAGE_ENDPOINT: "",
        STORAGE_REGION: "",
        STORAGE_BUCKET: "",
        STORAGE_ACCESS_KEY: "",
        STORAGE_SECRET_KEY: "",
        STORAGE_FORCE_PATH_STYLE: "",
        STORAGE_PUBLIC_URL: "",
        AUTH_SECRET: "",
        AUTH_TRUST_HOST: "",
        AUTH_PASSWORD_SIGNIN: "",
        PROCESSING_SECRET: "",
        MAX_UPLOAD_BYTES: "",
        APP_URL: "",
      },
      { secretsFile: file },
    );
    expect(blank).toEqual(unset);
    expect(resolveStorageConfig(blank)).toEqual(resolveStorageConfig(unset));
    expect(resolveStorageConfig(blank).provider).toBe("local");
    // In production too: an empty endpoint is AWS S3 itself, not an invalid URL.
    const production = parseEnv({ ...PRODUCTION, AUTH_SECRET: strongSecret, PROCESSING_SECRET: strongSecret, STORAGE_ENDPOINT: "", STORAGE_ACCESS_KEY: "" });
    expect(resolveStorageConfig(production)).toMatchObject({ endpoint: undefined, credentials: undefined, provider: "s3" });
  });

  it("never gives production the local services' credentials or the checkout's development secrets", () => {
    const file = secretsFile();
    mkdirSync(path.dirname(file), { recursive: true });
    const checkout = { AUTH_SECRET: "d".repeat(43), PROCESSING_SECRET: "e".repeat(43) };
    writeFileSync(file, JSON.stringify(checkout));
    const local = [
      `${LOCAL_DATABASE_DEFAULTS.user}:${LOCAL_DATABASE_DEFAULTS.password}@`,
      LOCAL_STORAGE_DEFAULTS.accessKeyId,
      LOCAL_STORAGE_DEFAULTS.secretAccessKey,
    ];
    const usesLocalCredentials = (value: unknown) => local.some((credential) => JSON.stringify(value).includes(credential));

    const build = parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }, { secretsFile: file });
    expect(usesLocalCredentials(build)).toBe(false);
    expect(build.DATABASE_URL).not.toContain("127.0.0.1");
    expect([build.AUTH_SECRET, build.PROCESSING_SECRET]).not.toContain(checkout.AUTH_SECRET);
    expect([build.AUTH_SECRET, build.PROCESSING_SECRET]).not.toContain(checkout.PROCESSING_SECRET);
    expect(resolveStorageConfig(build)).toMatchObject({ endpoint: undefined, credentials: undefined, provider: "s3" });
    expect(usesLocalCredentials(resolveStorageConfig(build))).toBe(false);

    // A custom endpoint without keys uses the SDK's default chain, not the local store's keys.
    const minio = parseEnv({ ...PRODUCTION, AUTH_SECRET: strongSecret, PROCESSING_SECRET: strongSecret, STORAGE_ENDPOINT: "https://minio.example.com" });
    expect(resolveStorageConfig(minio)).toMatchObject({ endpoint: "https://minio.example.com", credentials: undefined, provider: "s3" });
    // Nor does production create a secrets file.
    const untouched = secretsFile();
    parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }, { secretsFile: untouched });
    expect(existsSync(untouched)).toBe(false);
  });
});

describe("logs, metrics and shutdown settings", () => {
  it("validates LOG_LEVEL and defaults it to info", () => {
    expect(parseEnv({}, { secretsFile: secretsFile() }).LOG_LEVEL).toBe("info");
    expect(parseEnv({ LOG_LEVEL: "debug" }, { secretsFile: secretsFile() }).LOG_LEVEL).toBe("debug");
    expect(() => parseEnv({ LOG_LEVEL: "loud" }, { secretsFile: secretsFile() })).toThrow(/LOG_LEVEL/);
  });

  it("has no metrics token in production unless set, and a stable one derived from the checkout's secret in development", () => {
    expect(parseEnv({ ...PRODUCTION, AUTH_SECRET: strongSecret, PROCESSING_SECRET: strongSecret }).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "test" }).METRICS_TOKEN).toBeUndefined();
    const file = secretsFile();
    const dev = parseEnv({}, { secretsFile: file }).METRICS_TOKEN;
    expect(dev).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseEnv({}, { secretsFile: file }).METRICS_TOKEN).toBe(dev);
    expect(parseEnv({}, { secretsFile: secretsFile() }).METRICS_TOKEN).not.toBe(dev);
    expect(parseEnv({ METRICS_TOKEN: "set-by-the-operator-123" }, { secretsFile: file }).METRICS_TOKEN).toBe("set-by-the-operator-123");
    expect(() => parseEnv({ METRICS_TOKEN: "short" }, { secretsFile: file })).toThrow(/METRICS_TOKEN/);
  });

  it("defaults the worker's shutdown grace period to 25 s", () => {
    expect(parseEnv({}, { secretsFile: secretsFile() }).WORKER_SHUTDOWN_GRACE_SECONDS).toBe(25);
    expect(() => parseEnv({ WORKER_SHUTDOWN_GRACE_SECONDS: "-1" }, { secretsFile: secretsFile() })).toThrow(/WORKER_SHUTDOWN_GRACE_SECONDS/);
  });

  it("xAPI is off unless XAPI_ENDPOINT is an http(s) URL, and its Basic credentials come in pairs", () => {
    expect(parseEnv({}, { secretsFile: secretsFile() }).XAPI_ENDPOINT).toBeUndefined();
    const on = parseEnv({ XAPI_ENDPOINT: "https://lrs.example.com/xapi/", XAPI_USERNAME: "key", XAPI_PASSWORD: "secret" }, { secretsFile: secretsFile() });
    expect(on).toMatchObject({ XAPI_ENDPOINT: "https://lrs.example.com/xapi/", XAPI_USERNAME: "key", XAPI_PASSWORD: "secret" });
    expect(() => parseEnv({ XAPI_ENDPOINT: "ftp://lrs.example.com" }, { secretsFile: secretsFile() })).toThrow(/XAPI_ENDPOINT/);
    expect(() => parseEnv({ XAPI_ENDPOINT: "https://lrs.example.com/xapi/", XAPI_USERNAME: "key" }, { secretsFile: secretsFile() })).toThrow(/XAPI_PASSWORD: set both/);
  });
});
