import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the next PUT to storage (of `partNumber`, if given) gets instead of success. */
export type StorageFault = (
  | { kind: "status"; status: number; retryAfter?: string; code?: string }
  | { kind: "expired" }
  | { kind: "reset" }
  | { kind: "hang" }
  // Reads the part at this rate, then stores it.
  | { kind: "slow"; bytesPerSecond: number }
) & { partNumber?: number };

type FakeVideo = {
  id: string;
  courseId: string;
  status: string;
  fileSize: number;
  partSize: number;
  partCount: number;
  parts: Map<number, { etag: string; body: Buffer }>;
  reported: Set<number>;
};

const API = "/api/v1/education/videos";

/** The part size a user gets: the server's default `UPLOAD_PART_SIZE` (lib/env.ts). */
export const USER_PART_SIZE = 8 * 1024 * 1024;

async function readBody(request: IncomingMessage, bytesPerSecond?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
    if (bytesPerSecond) await new Promise((resolve) => setTimeout(resolve, Math.ceil(((chunk as Buffer).length * 1000) / bytesPerSecond)));
  }
  return Buffer.concat(chunks);
}

/**
 * The Lectern upload API and a presigned-URL storage in one real HTTP server,
 * with tiny parts, a log of what clients did, and fault injection.
 */
export async function startFakeLectern({ partSize = 4, initialUrls = 2, token }: { partSize?: number; initialUrls?: number; token?: string } = {}) {
  const videos = new Map<string, FakeVideo>();
  const storageFaults: StorageFault[] = [];
  /** A status to answer with, or "reset" to cut the connection. */
  const apiFaults: (number | "reset")[] = [];
  const log = {
    puts: [] as { partNumber: number; bytes: number; status: number }[],
    /** Every PUT as it arrives, before its body is read. */
    putStarts: [] as { videoId: string; partNumber: number }[],
    signCalls: [] as { partNumbers: number[]; completed: { partNumber: number; etag: string }[] }[],
    apiCalls: [] as string[],
  };
  let signatures = 0;
  let base = "";

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const apiError = (response: ServerResponse, status: number, code: string, message: string, details?: unknown) =>
    json(response, status, { error: { code, message, ...(details === undefined ? {} : { details }) } });
  const s3Error = (response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "application/xml", ...headers });
    response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  };

  const expectedLength = (video: FakeVideo, partNumber: number) =>
    partNumber < video.partCount ? video.partSize : video.fileSize - video.partSize * (video.partCount - 1);

  const sign = (video: FakeVideo, partNumbers: number[]) => {
    const expiresAt = Date.now() + 3_600_000;
    signatures += 1;
    const parts = partNumbers.map((partNumber) => ({ partNumber, url: `${base}/storage/${video.id}/${partNumber}?expires=${expiresAt}&sig=${signatures}` }));
    return { parts, expiresAt: new Date(expiresAt).toISOString() };
  };

  const toVideo = (video: FakeVideo) => ({ id: video.id, courseId: video.courseId, status: video.status, fileSizeBytes: video.fileSize });

  async function handleStorage(request: IncomingMessage, response: ServerResponse, url: URL) {
    const [, , videoId = "", part = ""] = url.pathname.split("/");
    const partNumber = Number(part);
    log.putStarts.push({ videoId, partNumber });
    const faultIndex = storageFaults.findIndex((candidate) => candidate.partNumber === undefined || candidate.partNumber === partNumber);
    const fault = faultIndex === -1 ? undefined : storageFaults.splice(faultIndex, 1)[0];
    const body = await readBody(request, fault?.kind === "slow" ? fault.bytesPerSecond : undefined);
    const video = videos.get(videoId);
    const record = (status: number) => log.puts.push({ partNumber, bytes: body.length, status });

    if (fault?.kind === "hang") {
      await new Promise((resolve) => response.on("close", resolve));
      record(0);
      return;
    }
    if (fault?.kind === "reset") {
      record(0);
      request.socket.destroy();
      return;
    }
    if (fault?.kind === "expired" || Number(url.searchParams.get("expires")) < Date.now()) {
      record(403);
      return s3Error(response, 403, "AccessDenied", "Request has expired");
    }
    if (fault?.kind === "status") {
      record(fault.status);
      return s3Error(response, fault.status, fault.code ?? "SlowDown", "Injected fault", fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
    }
    if (!video || video.status !== "uploading") {
      record(404);
      return s3Error(response, 404, "NoSuchUpload", "The specified upload does not exist.");
    }
    if (body.length !== expectedLength(video, partNumber)) {
      record(400);
      return s3Error(response, 400, "IncompleteBody", "Wrong Content-Length.");
    }
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    video.parts.set(partNumber, { etag, body });
    record(200);
    response.writeHead(200, { etag }).end();
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL) {
    log.apiCalls.push(`${request.method} ${url.pathname.slice(API.length)}`);
    const text = (await readBody(request)).toString("utf8");
    const body: unknown = text ? JSON.parse(text) : undefined;
    const injected = apiFaults.shift();
    if (injected === "reset") return void request.socket.destroy();
    if (injected) return apiError(response, injected, "injected", `Injected ${injected}.`);
    if (token && request.headers.authorization !== `Bearer ${token}`) return apiError(response, 401, "unauthorized", "Sign in or send a valid API token.");

    if (request.method === "POST" && url.pathname === `${API}/upload-init`) {
      const { courseId, fileSize, metadata } = body as { courseId: string; fileSize: number; metadata: { title?: string } };
      if (!metadata.title) return apiError(response, 400, "validation_error", "Some fields are invalid.", { fieldErrors: { "metadata.title": ["Title is required."] } });
      const video: FakeVideo = {
        id: randomUUID(),
        courseId,
        status: "uploading",
        fileSize,
        partSize,
        partCount: Math.ceil(fileSize / partSize),
        parts: new Map(),
        reported: new Set(),
      };
      videos.set(video.id, video);
      const first = Array.from({ length: Math.min(initialUrls, video.partCount) }, (_, index) => index + 1);
      return json(response, 201, {
        data: { videoId: video.id, uploadId: "upload-1", storageKey: `videos/${courseId}/${video.id}/source.mp4`, partSize, partCount: video.partCount, ...sign(video, first) },
      });
    }

    const [videoId = "", action] = url.pathname.slice(API.length + 1).split("/");
    const video = videos.get(videoId);
    if (!video) return apiError(response, 404, "not_found", "Video not found.");
    if (video.status !== "uploading") return apiError(response, 409, "conflict", `The video is ${video.status}.`);

    if (request.method === "GET" && action === "parts") {
      const parts = [...video.parts].map(([partNumber, part]) => ({ partNumber, etag: part.etag, size: part.body.length }));
      return json(response, 200, { data: { partSize: video.partSize, partCount: video.partCount, parts } });
    }
    if (request.method === "POST" && action === "parts") {
      const { partNumbers, completed = [] } = body as { partNumbers: number[]; completed?: { partNumber: number; etag: string }[] };
      if (partNumbers.length > 100) return apiError(response, 400, "validation_error", "Ask for at most 100 part URLs at once.");
      log.signCalls.push({ partNumbers, completed });
      for (const part of completed) video.reported.add(part.partNumber);
      return json(response, 200, { data: sign(video, partNumbers) });
    }
    if (request.method === "POST" && action === "complete") {
      const { parts } = body as { parts: { partNumber: number; etag: string }[] };
      const complete =
        parts.length === video.partCount && parts.every((part, index) => part.partNumber === index + 1 && video.parts.get(part.partNumber)?.etag === part.etag);
      if (!complete) return apiError(response, 400, "parts_mismatch", "Some parts are missing.");
      video.status = "uploaded";
      return json(response, 200, { data: toVideo(video) });
    }
    if (request.method === "POST" && action === "abort") {
      video.status = "aborted";
      return json(response, 200, { data: toVideo(video) });
    }
    return apiError(response, 404, "not_found", "No such route.");
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const handle = url.pathname.startsWith("/storage/") && request.method === "PUT" ? handleStorage : handleApi;
    handle(request, response, url).catch((error: unknown) => apiError(response, 500, "internal_error", String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl: base,
    videos,
    log,
    storageFaults,
    /** What the next API calls get, whatever they ask: a status, or a cut connection. */
    apiFaults,
    /** The whole object storage holds for a video, parts in order. */
    assembled: (videoId: string) =>
      Buffer.concat([...(videos.get(videoId)?.parts ?? new Map<number, { body: Buffer }>())].sort(([a], [b]) => a - b).map(([, part]) => part.body)),
    bytesReceived: () => log.puts.filter((put) => put.status === 200).reduce((sum, put) => sum + put.bytes, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeLectern = Awaited<ReturnType<typeof startFakeLectern>>;
