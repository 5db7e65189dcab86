import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { expect, test } from "./world";

const API_ROOT = path.join(process.cwd(), "app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
// Public on purpose: the OpenAPI document, and the catch-all that answers unknown paths with 404.
const PUBLIC_ROUTES = new Set(["/openapi.json", "/[...path]"]);

/** Every route handler under /api/v1 that needs credentials, with the methods it exports, its [params] filled in. */
function routes(): { method: string; path: string }[] {
  const found: { method: string; path: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const route = `/${path.relative(API_ROOT, dir)}`;
        if (PUBLIC_ROUTES.has(route)) continue;
        const source = readFileSync(full, "utf8");
        const filled = route.replace(/\[\.\.\.[^\]]+\]/g, "hls/master.m3u8").replace(/\[[^\]]+\]/g, () => randomUUID());
        for (const method of METHODS) {
          if (new RegExp(`export (const|async function|function) ${method}\\b`).test(source)) found.push({ method, path: filled });
        }
      }
    }
  };
  walk(API_ROOT);
  return found;
}

const ALL = routes();
const MUTATING = ALL.filter((route) => route.method !== "GET");

test.describe("anonymous requests", () => {
  test("the walk finds the routes", () => {
    expect(MUTATING.map((route) => `${route.method} ${route.path.replace(/[0-9a-f-]{36}/g, ":id")}`)).toEqual(
      expect.arrayContaining([
        "POST /education/videos/upload-init",
        "POST /education/videos/:id/parts",
        "POST /education/videos/:id/complete",
        "POST /education/videos/:id/abort",
        "PATCH /education/videos/:id",
        "DELETE /education/videos/:id",
        "POST /education/videos/:id/processing-status",
        "PUT /education/videos/:id/captions/:id",
        "DELETE /education/videos/:id/captions/:id",
        "PUT /education/videos/:id/chapters",
        "POST /tokens",
        "DELETE /tokens/:id",
        "POST /admin/users",
        "PATCH /education/courses/:id/members/:id",
        "DELETE /education/courses/:id/members/:id",
        "POST /education/courses/:id/invitations",
        "POST /education/courses/:id/invitations/bulk",
        "DELETE /education/invitations/:id",
        "POST /education/invitations/accept",
        "POST /education/courses",
        "PATCH /education/courses/:id",
        "POST /education/courses/:id/archive",
        "POST /education/courses/:id/restore",
        "POST /education/courses/:id/lessons",
        "PUT /education/courses/:id/lessons/order",
        "PATCH /education/lessons/:id",
        "DELETE /education/lessons/:id",
        "PUT /education/lessons/:id/videos/order",
      ]),
    );
  });

  // Bodies that would get 400 with field details, or 413, if they were read before authenticating.
  const bodies: [string, string | undefined][] = [
    ["no body", undefined],
    ["malformed JSON", "{not json"],
    ["invalid fields", JSON.stringify({ courseId: "x", fileSize: -1, parts: "none", partNumbers: [0], version: "one" })],
    ["a 1 MB body", JSON.stringify({ padding: "x".repeat(1024 * 1024) })],
  ];
  for (const [name, body] of bodies) {
    test(`every route answers 401 to ${name}`, async ({ request }) => {
      for (const { method, path: route } of ALL) {
        const response = await request.fetch(`/api/v1${route}?limit=ten&cursor=forged`, {
          method,
          headers: body === undefined ? {} : { "content-type": "application/json" },
          ...(body === undefined ? {} : { data: Buffer.from(body) }),
        });
        expect(response.status(), `${method} ${route}`).toBe(401);
        expect(await response.json(), `${method} ${route}`).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
      }
    });
  }

  test("401 arrives before the server reads the body: a declared 1 MB body is never sent", async ({ baseURL }) => {
    const origin = new URL(baseURL ?? "");
    for (const { method, path: route } of MUTATING) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: origin.hostname, port: origin.port, method, path: `/api/v1${route}`, headers: { "content-type": "application/json", "content-length": String(1024 * 1024) } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
        // A few bytes of the promised megabyte; the rest never comes. A server that waits for it never answers.
        req.write('{"parts":[');
        setTimeout(() => reject(new Error(`${method} ${route}: no answer within 5 s (waiting for the body?)`)), 5000).unref();
      });
      expect(status, `${method} ${route}`).toBe(401);
    }
  });
});
