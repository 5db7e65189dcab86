import { expect, test } from "@playwright/test";
import { e2eStack } from "../e2e-stack";

const directives = (policy: string) => Object.fromEntries(policy.split(/;\s*/).map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

function expectCommonHeaders(headers: Record<string, string>) {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/);
  expect(headers["x-frame-options"]).toBe("DENY");
}

test.describe("security headers", () => {
  test("pages: a nonce-based CSP that Next.js applies to its scripts, storage allowed, no framing", async ({ request }) => {
    const storageOrigin = new URL(e2eStack().storage.STORAGE_ENDPOINT).origin;
    const first = await request.get("/sign-in");
    expect(first.status()).toBe(200);
    const headers = first.headers();
    expectCommonHeaders(headers);
    expect(headers["strict-transport-security"]).toBeUndefined();

    const policy = directives(headers["content-security-policy"] ?? "");
    const nonce = /^'nonce-(.+)'$/.exec(policy["script-src"]?.[1] ?? "")?.[1] ?? "";
    expect(policy["script-src"]).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(policy["connect-src"]).toContain(storageOrigin);
    expect(policy["media-src"]).toEqual(expect.arrayContaining(["blob:", storageOrigin]));
    expect(policy["worker-src"]).toEqual(["'self'", "blob:"]);
    expect(policy).not.toHaveProperty("upgrade-insecure-requests");

    // Every script Next.js wrote carries this response's nonce.
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const second = await request.get("/sign-in");
    expect(second.headers()["content-security-policy"]).not.toContain(nonce);
  });

  test("HSTS and upgrade-insecure-requests behind a trusted https proxy", async ({ request }) => {
    const page = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
    expect(page.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(page.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");

    const api = await request.get("/api/v1/education/courses", { headers: { "x-forwarded-proto": "https" } });
    expect(api.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  });

  test("API responses: nosniff, nothing may load or frame them", async ({ request }) => {
    for (const path of ["/api/v1/education/courses", "/api/v1/tokens", "/api/health", "/api/v1/openapi.json"]) {
      const response = await request.get(path);
      const headers = response.headers();
      expectCommonHeaders(headers);
      expect(headers["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers["strict-transport-security"], path).toBeUndefined();
    }
  });
});
