import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, servedOverHttps, storageOrigins } from "@/lib/security/csp";

const local = { endpoint: "http://127.0.0.1:54330", region: "us-east-1", bucket: "lectern", forcePathStyle: true };
const directives = (policy: string) => Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("storage origins for the CSP", () => {
  it("is the endpoint's origin for path-style URLs, plus STORAGE_PUBLIC_URL's", () => {
    expect(storageOrigins({ ...local, publicUrl: "https://cdn.example.com/media/" })).toEqual(["http://127.0.0.1:54330", "https://cdn.example.com"]);
  });

  it("puts the bucket in the host as the AWS SDK does for virtual-hosted URLs", () => {
    expect(storageOrigins({ endpoint: undefined, region: "eu-west-1", bucket: "lectern", forcePathStyle: false })).toEqual(["https://lectern.s3.eu-west-1.amazonaws.com"]);
    expect(storageOrigins({ endpoint: "https://minio.example.com:9000", region: "x", bucket: "media", forcePathStyle: false })).toEqual(["https://media.minio.example.com:9000"]);
    // Dotted bucket names cannot be a TLS host label: the SDK uses path-style.
    expect(storageOrigins({ endpoint: undefined, region: "eu-west-1", bucket: "my.videos", forcePathStyle: false })).toEqual(["https://s3.eu-west-1.amazonaws.com"]);
  });
});

describe("the pages' Content-Security-Policy", () => {
  it("allows scripts by nonce only, storage for uploads and playback, blob: workers and media, and no framing", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc123", storage: { ...local, publicUrl: "https://cdn.example.com" }, development: false, https: false }));
    expect(policy["script-src"]).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy["connect-src"]).toEqual(["'self'", "http://127.0.0.1:54330", "https://cdn.example.com"]);
    expect(policy["media-src"]).toEqual(expect.arrayContaining(["'self'", "blob:", "http://127.0.0.1:54330", "https://cdn.example.com"]));
    // hls.js's caption tracks are <track src="data:,WEBVTT"> elements it fills with cues.
    expect(policy["media-src"]).toContain("data:");
    expect(policy["img-src"]).toEqual(expect.arrayContaining(["http://127.0.0.1:54330", "https://cdn.example.com"]));
    expect(policy["worker-src"]).toEqual(["'self'", "blob:"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(policy).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("adds eval in development only, upgrades requests over https, lets sign-in forms reach the OAuth provider", () => {
    const dev = directives(contentSecurityPolicy({ nonce: "n", storage: local, development: true, https: true, signInOrigins: ["https://github.com"] }));
    expect(dev["script-src"]).toContain("'unsafe-eval'");
    expect(dev).toHaveProperty("upgrade-insecure-requests");
    expect(dev["form-action"]).toEqual(["'self'", "https://github.com"]);
  });
});

describe("served over https", () => {
  const plain = { url: "http://app.example.com/", forwardedProto: null, trustProxy: false };
  it("trusts X-Forwarded-Proto only behind a trusted proxy", () => {
    expect(servedOverHttps(plain)).toBe(false);
    expect(servedOverHttps({ ...plain, forwardedProto: "https" })).toBe(false);
    expect(servedOverHttps({ ...plain, forwardedProto: "https, http", trustProxy: true })).toBe(true);
    expect(servedOverHttps({ ...plain, forwardedProto: "http", trustProxy: true })).toBe(false);
    expect(servedOverHttps({ ...plain, appUrl: "https://lectern.example.com" })).toBe(true);
    expect(servedOverHttps({ ...plain, url: "https://app.example.com/" })).toBe(true);
  });
});
