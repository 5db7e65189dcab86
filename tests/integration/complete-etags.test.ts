import { randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Uploads from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";

/**
 * What the app sends to storage: a pass-through in front of the real local
 * store records every CompleteMultipartUpload body. The app's modules read
 * STORAGE_ENDPOINT when first imported, so they are imported after it points here.
 */
const completes: string[] = [];
let recorder: Server;
let uploads: typeof Uploads;

const { sql, close } = testDatabase();

beforeAll(async () => {
  const target = new URL(process.env.STORAGE_ENDPOINT ?? "");
  recorder = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      if (incoming.method === "POST" && incoming.url?.includes("uploadId=")) completes.push(body.toString("utf8"));
      // Same path and headers (Host included), so the SigV4 signatures still verify.
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      upstream.on("error", () => outgoing.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
  process.env.STORAGE_ENDPOINT = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
  uploads = await import("@/lib/videos/uploads");
});

afterAll(async () => {
  await new Promise((resolve) => recorder.close(resolve));
  await close();
});

describe("complete", () => {
  it("hands storage the ETags storage listed, not the client's spelling of them", async () => {
    const courseId = randomUUID();
    const userId = randomUUID();
    await sql`insert into courses (id, title) values (${courseId}, 'ETags')`;
    await sql`insert into users (id, email) values (${userId}, ${`etags-${userId}@example.com`})`;
    await sql`insert into course_members (course_id, user_id, role) values (${courseId}, ${userId}, 'owner')`;
    const actor = { id: userId };
    const { env } = await import("@/lib/env");
    const size = env.UPLOAD_PART_SIZE + 1000;
    const init = await uploads.initUpload({ actor, input: { courseId, filename: "e.mp4", fileSize: size, contentType: "video/mp4", metadata: { title: "E" } } });
    expect(init.partCount).toBe(2);
    const data = Buffer.alloc(size, 7);
    const etags: string[] = [];
    for (const part of init.parts) {
      const response = await fetch(part.url, { method: "PUT", body: data.subarray((part.partNumber - 1) * init.partSize, part.partNumber * init.partSize) });
      expect(response.status).toBe(200);
      etags.push(response.headers.get("etag") ?? "");
    }
    expect(etags.every((etag) => /^"[0-9a-f]{32}"$/.test(etag))).toBe(true);

    // Equal once normalised (weak prefix, no quotes, spaces): accepted, but not what storage should be sent.
    const spelled = [`W/${etags[0]}`, ` ${etags[1]?.replace(/"/g, "")} `];
    const video = await uploads.completeUpload({ actor, videoId: init.videoId, parts: spelled.map((etag, index) => ({ partNumber: index + 1, etag })) });
    expect(video.status).toBe("uploaded");

    const sent = completes.at(-1) ?? "";
    const sentEtags = [...sent.matchAll(/<ETag>([^<]*)<\/ETag>/g)].map((match) => match[1]?.replace(/&quot;/g, '"'));
    expect(sentEtags).toEqual(etags);
  });
});
