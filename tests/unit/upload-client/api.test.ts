import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createUploadApi, UploadError } from "@/lib/upload-client";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that answers every call with `body`, as a broken or foreign deployment might. */
async function answering(body: unknown): Promise<string> {
  server = createServer((_, response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const init = { courseId: "00000000-0000-4000-8000-000000000001", filename: "a.mp4", fileSize: 10, contentType: "video/mp4", metadata: { title: "A" } };

describe("the upload client's response shapes", () => {
  it("are the server's (lib/videos/schemas): an upload-init answer the API could never send is an invalid_response", async () => {
    // Everything the old hand-written client schema accepted, but not a UUID video id nor URLs.
    const baseUrl = await answering({
      data: { videoId: "video-1", uploadId: "u", storageKey: "k", partSize: 5, partCount: 2, parts: [{ partNumber: 1, url: "not a url" }], expiresAt: "soon" },
    });
    const error = await createUploadApi({ baseUrl, retry: { maxAttempts: 1 } })
      .init({ body: init })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({ code: "invalid_response" });
  });

  it("accept what the API sends", async () => {
    const videoId = "00000000-0000-4000-8000-000000000002";
    const baseUrl = await answering({
      data: { videoId, uploadId: "u", storageKey: "k", partSize: 5, partCount: 2, parts: [{ partNumber: 1, url: "http://storage.test/p1" }], expiresAt: "soon" },
    });
    await expect(createUploadApi({ baseUrl }).init({ body: init })).resolves.toMatchObject({ videoId, partCount: 2 });
  });
});
