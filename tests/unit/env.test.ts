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

  it("refuses a production server without a database or secret, naming both", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/DATABASE_URL: required in production[\s\S]*AUTH_SECRET/);
  });

  it("lets `next build` import modules without production services", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });

  it("accepts a complete production environment and does not trust forwarded hosts by default", () => {
    const env = parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://u:p@db:5432/lectern", AUTH_SECRET: "s3cret" });
    expect(env.DATABASE_URL).toBe("postgresql://u:p@db:5432/lectern");
    expect(env.AUTH_TRUST_HOST).toBe(false);
  });

  it("rejects malformed values with the variable's name", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ LOCAL_PG_PORT: "eighty" })).toThrow(/LOCAL_PG_PORT/);
    expect(() => parseEnv({ AUTH_PASSWORD_SIGNIN: "maybe" })).toThrow(/AUTH_PASSWORD_SIGNIN/);
  });

  it("wants both GitHub credentials or neither", () => {
    expect(() => parseEnv({ AUTH_GITHUB_ID: "id" })).toThrow(/AUTH_GITHUB_SECRET/);
    expect(parseEnv({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "secret" }).AUTH_GITHUB_ID).toBe("id");
  });
});
