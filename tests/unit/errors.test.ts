import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";

describe("AppError", () => {
  it("renders {error:{code,message,details}} with its status and headers", async () => {
    const response = new AppError("rate_limited", "Slow down.", { details: { retryAfter: 3 }, headers: { "retry-after": "3" } }).toResponse();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(await response.json()).toEqual({ error: { code: "rate_limited", message: "Slow down.", details: { retryAfter: 3 } } });
  });

  it("omits details when there are none and maps unknown codes to 500", async () => {
    const response = new AppError("mystery", "Hmm.").toResponse();
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: "mystery", message: "Hmm." } });
  });
});

describe("fetcher (over real HTTP)", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const send = (status: number, body?: unknown, type = "application/json") => {
        response.writeHead(status, { "content-type": type });
        response.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
      };
      if (request.url === "/ok") return send(200, { data: { id: 1 } });
      if (request.url === "/empty") return send(204);
      if (request.url === "/conflict") return send(409, { error: { code: "conflict", message: "Stale.", details: { version: 4 } } });
      return send(502, "<html>bad gateway</html>", "text/html");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("returns the parsed body", async () => {
    expect(await fetcher(`${base}/ok`)).toEqual({ data: { id: 1 } });
    expect(await fetcher(`${base}/empty`, { method: "DELETE" })).toBeUndefined();
  });

  it("rebuilds the server's AppError", async () => {
    const error = await fetcher(`${base}/conflict`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "conflict", status: 409, message: "Stale.", details: { version: 4 } });
  });

  it("turns a non-JSON failure and an unreachable server into readable errors", async () => {
    await expect(fetcher(`${base}/html`)).rejects.toMatchObject({ code: "http_error", status: 502 });
    await expect(fetcher("http://127.0.0.1:9/unreachable")).rejects.toMatchObject({ code: "network_error", status: 0 });
  });
});
