import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createUploadApi, withInitsInOrder } from "@/lib/upload-client";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const init = (title: string) => ({ courseId: "00000000-0000-4000-8000-000000000001", filename: `${title}.mp4`, fileSize: 10, contentType: "video/mp4", metadata: { title } });

async function readTitle(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += String(chunk);
  return (JSON.parse(text) as { metadata: { title: string } }).metadata.title;
}

/** An upload-init endpoint that answers "first" slowly (or with a 500) and logs when each request arrives and is answered. */
async function lectern(events: string[], { failFirst = false } = {}): Promise<string> {
  server = createServer((request, response) => {
    void readTitle(request).then((title) => {
      events.push(`arrived ${title}`);
      setTimeout(
        () => {
          events.push(`answered ${title}`);
          if (failFirst && title === "first") return response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "internal", message: "no" } }));
          const videoId = title === "first" ? "00000000-0000-4000-8000-00000000000a" : "00000000-0000-4000-8000-00000000000b";
          response.writeHead(201, { "content-type": "application/json" }).end(
            JSON.stringify({ data: { videoId, uploadId: "u", storageKey: "k", partSize: 10, partCount: 1, parts: [{ partNumber: 1, url: "http://storage.test/p1" }], expiresAt: "soon" } }),
          );
        },
        title === "first" ? 150 : 0,
      );
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("withInitsInOrder", () => {
  it("sends upload-inits started together one after another, in call order", async () => {
    const events: string[] = [];
    const api = withInitsInOrder(createUploadApi({ baseUrl: await lectern(events), retry: { maxAttempts: 1 } }));
    const sessions = await Promise.all([api.init({ body: init("first") }), api.init({ body: init("second") })]);
    expect(sessions.map((session) => session.videoId.at(-1))).toEqual(["a", "b"]);
    expect(events).toEqual(["arrived first", "answered first", "arrived second", "answered second"]);
  });

  it("goes on with the next init when one fails", async () => {
    const events: string[] = [];
    const api = withInitsInOrder(createUploadApi({ baseUrl: await lectern(events, { failFirst: true }), retry: { maxAttempts: 1 } }));
    const [first, second] = await Promise.allSettled([api.init({ body: init("first") }), api.init({ body: init("second") })]);
    expect(first.status).toBe("rejected");
    expect(second).toMatchObject({ status: "fulfilled", value: { videoId: "00000000-0000-4000-8000-00000000000b" } });
    expect(events).toEqual(["arrived first", "answered first", "arrived second", "answered second"]);
  });
});
