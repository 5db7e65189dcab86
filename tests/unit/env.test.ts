import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("defaults to the embedded database and a development secret", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("postgres://lectern:lectern@127.0.0.1:54329/lectern");
    expect(env.AUTH_SECRET).toMatch(/development/);
    expect(env.AUTH_PASSWORD_SIGNIN).toBe(true);
    expect(env.AUTH_TRUST_HOST).toBe(true);
  });

  it("follows LOCAL_PG_PORT for the embedded default", () => {
    expect(parseEnv({ LOCAL_PG_PORT: "6000" }).DATABASE_URL).toContain("127.0.0.1:6000/");
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
      AUTH_SECRET: "s3cret",
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

  it("points storage at the local store in development", () => {
    expect(parseEnv({}).STORAGE).toEqual({
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
      AUTH_SECRET: "s",
      STORAGE_BUCKET: "media",
      STORAGE_REGION: "eu-west-1",
      PROCESSING_SECRET: "a-long-processing-secret",
    });
    expect(env.STORAGE).toMatchObject({ endpoint: undefined, region: "eu-west-1", bucket: "media", credentials: undefined, forcePathStyle: false, provider: "s3" });
  });

  it("recognises R2, and wants both storage keys or neither", () => {
    const env = parseEnv({
      STORAGE_ENDPOINT: "https://abc123.r2.cloudflarestorage.com",
      STORAGE_ACCESS_KEY: "key",
      STORAGE_SECRET_KEY: "secret",
      STORAGE_PUBLIC_URL: "https://media.example.com",
    });
    expect(env.STORAGE).toMatchObject({ provider: "r2", region: "auto", forcePathStyle: true, publicUrl: "https://media.example.com" });
    expect(() => parseEnv({ STORAGE_ACCESS_KEY: "key" })).toThrow(/STORAGE_SECRET_KEY/);
    expect(() => parseEnv({ STORAGE_BUCKET: "Not_A_Bucket" })).toThrow(/STORAGE_BUCKET/);
  });

  it("wants both GitHub credentials or neither", () => {
    expect(() => parseEnv({ AUTH_GITHUB_ID: "id" })).toThrow(/AUTH_GITHUB_SECRET/);
    expect(parseEnv({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "secret" }).AUTH_GITHUB_ID).toBe("id");
  });
});
