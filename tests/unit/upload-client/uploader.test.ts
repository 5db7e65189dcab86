import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Connectivity, createUpload, createUploadApi, UploadError, type UploadProgress, type UploadSource } from "@/lib/upload-client";
import { openFileSource } from "@/lib/upload-client/node-file-source";
import { writeLargeFile } from "@/tests/helpers/large-file";
import { startFakeLectern, USER_PART_SIZE, type FakeLectern } from "./fake-lectern";

const COURSE = "7c9e6679-7425-40de-944b-e07c4fc1e000";
const TOKEN = "secret-token";

let lectern: FakeLectern;
let delays: number[] = [];

beforeAll(async () => {
  lectern = await startFakeLectern({ partSize: 4, initialUrls: 2, token: TOKEN });
});
afterAll(() => lectern.close());
afterEach(() => {
  lectern.storageFaults.length = 0;
  lectern.apiFaults.length = 0;
  delays = [];
});

/** Backoff that records its delays instead of waiting. */
const retry = { baseMs: 8, random: () => 0.5, sleep: async (ms: number) => void delays.push(ms) };
const api = () => createUploadApi({ baseUrl: `${lectern.baseUrl}/`, headers: { authorization: `Bearer ${TOKEN}` }, retry });

/** An in-memory source that counts the bytes it hands out. */
function memorySource(text: string) {
  const bytes = new TextEncoder().encode(text);
  const source: UploadSource & { read: number } = {
    size: bytes.length,
    name: "lecture.mp4",
    type: "video/mp4",
    read: 0,
    slice: async ({ start, end }) => {
      source.read += end - start;
      return bytes.slice(start, end);
    },
  };
  return source;
}

const init = { courseId: COURSE, metadata: { title: "Intro", tags: ["a"] } };

describe("createUpload", () => {
  it("uploads every part, signs URLs in batches, reports progress and completes", async () => {
    const text = `${"abcdefghijklmnopqrstuvwxyz0123456789".repeat(3)}ABCDEFGHIJK`; // 119 bytes: 30 parts, the last of 3 bytes
    const source = memorySource(text);
    const progress: UploadProgress[] = [];
    const video = await createUpload({ api: api(), source, init, concurrency: 4, retry, onProgress: (p) => progress.push(p) }).done;

    expect(video).toMatchObject({ courseId: COURSE, status: "uploaded" });
    expect(lectern.assembled(video.id).toString()).toBe(text);
    const fake = lectern.videos.get(video.id);
    expect(fake?.partCount).toBe(30);
    // The init call signed parts 1-2; the rest came in batches of at most 20, each part once, and
    // finished parts were reported every 2 parts (5% of 30) while parts were left to sign.
    const signed = lectern.log.signCalls.flatMap((call) => call.partNumbers);
    expect(lectern.log.signCalls.every((call) => call.partNumbers.length <= 20)).toBe(true);
    expect(new Set(signed).size).toBe(28);
    expect(fake?.reported.size).toBeGreaterThanOrEqual(20);
    expect(progress.at(0)).toMatchObject({ bytesDone: 0, partsDone: 0, partCount: 30, totalBytes: source.size });
    expect(progress.at(-1)).toMatchObject({ bytesDone: source.size, bytesUploaded: source.size, partsDone: 30, secondsLeft: 0 });
    expect(lectern.log.apiCalls.filter((call) => call.endsWith("/complete"))).toHaveLength(1);
  });

  it("retries storage 503, 429 (with Retry-After) and dropped connections, and API 5xx", async () => {
    lectern.apiFaults.push(503);
    lectern.storageFaults.push({ kind: "status", status: 503 }, { kind: "status", status: 429, retryAfter: "2" }, { kind: "reset" });
    const source = memorySource("0123456789");
    const video = await createUpload({ api: api(), source, init, concurrency: 1, retry }).done;

    expect(lectern.assembled(video.id).toString()).toBe("0123456789");
    // Full jitter at random 0.5: the API's first retry, then part 1's three (the 429 waits what Retry-After says).
    expect(delays).toEqual([4, 4, 2000, 16]);
  });

  it("stops a part that stalls and sends it again", async () => {
    lectern.storageFaults.push({ kind: "hang", partNumber: 2 });
    const before = lectern.log.puts.length;
    const source = memorySource("0123456789");
    const video = await createUpload({ api: api(), source, init, concurrency: 1, retry, stallTimeoutMs: 150 }).done;

    expect(lectern.assembled(video.id).toString()).toBe("0123456789");
    // The hung request is logged (status 0) once its connection closes.
    await expect
      .poll(() => lectern.log.puts.slice(before).filter((put) => put.partNumber === 2).map((put) => put.status).sort())
      .toEqual([0, 200]);
  });

  it("signs a fresh URL when storage says one expired, without counting a failure", async () => {
    lectern.storageFaults.push({ kind: "expired" }, { kind: "expired" });
    const source = memorySource("0123456789");
    const signCallsBefore = lectern.log.signCalls.length;
    const video = await createUpload({ api: api(), source, init, concurrency: 1, retry: { ...retry, maxAttempts: 1 } }).done;

    expect(lectern.assembled(video.id).toString()).toBe("0123456789");
    expect(delays).toEqual([]);
    // Part 1 was signed again twice (taking part 3, which had no URL yet, along the first time); later calls carried reports.
    expect(lectern.log.signCalls.slice(signCallsBefore, signCallsBefore + 2).map((call) => call.partNumbers)).toEqual([[1, 3], [1]]);
  });

  it("fails on another 4xx with storage's reason, leaving the upload on the server", async () => {
    lectern.storageFaults.push({ kind: "status", status: 400, code: "InvalidArgument" });
    const upload = createUpload({ api: api(), source: memorySource("0123456789"), init, retry });
    const error = await upload.done.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({ code: "storage_error", status: 400, message: expect.stringContaining("InvalidArgument") });
    expect(lectern.videos.get(upload.videoId ?? "")?.status).toBe("uploading");
  });

  it("rebuilds API errors with their code, status and details, without retrying them", async () => {
    const error = await createUpload({ api: api(), source: memorySource("0123"), init: { courseId: COURSE, metadata: { title: "" } }, retry }).done.catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "validation_error", status: 400, details: { fieldErrors: { "metadata.title": ["Title is required."] } } });
    expect(delays).toEqual([]);
  });

  it("resumes a stopped upload, sending only the parts storage does not hold", async () => {
    const text = "resumable upload!!!!"; // 5 parts
    const controller = new AbortController();
    const first = createUpload({
      api: api(),
      source: memorySource(text),
      init,
      concurrency: 1,
      signal: controller.signal,
      onProgress: ({ partsDone }) => {
        if (partsDone === 2) controller.abort();
      },
    });
    await expect(first.done).rejects.toMatchObject({ code: "aborted" });
    const videoId = first.videoId ?? "";
    expect(lectern.videos.get(videoId)?.status).toBe("uploading");

    const before = lectern.bytesReceived();
    const source = memorySource(text);
    const progress: UploadProgress[] = [];
    const started: unknown[] = [];
    const video = await createUpload({ api: api(), source, resume: { videoId }, onStart: (info) => void started.push(info), onProgress: (p) => progress.push(p) })
      .done;

    expect(video.id).toBe(videoId);
    expect(lectern.assembled(videoId).toString()).toBe(text);
    expect(started).toEqual([{ videoId, partSize: 4, partCount: 5, partsStored: 2, resumed: true }]);
    expect(lectern.bytesReceived() - before).toBe(12);
    expect(source.read).toBe(12);
    expect(progress.at(0)).toMatchObject({ bytesDone: 8, bytesUploaded: 0, partsDone: 2 });
    expect(progress.at(-1)).toMatchObject({ bytesDone: 20, bytesUploaded: 12, partsDone: 5 });
  });

  it("refuses to resume with a file of another size", async () => {
    const { videoId } = await api().init({ body: { ...init, filename: "a.mp4", fileSize: 8, contentType: "video/mp4" } });
    const error = await createUpload({ api: api(), source: memorySource("123456789"), resume: { videoId } }).done.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "source_mismatch" });
    expect(lectern.bytesReceived()).toBe(lectern.log.puts.filter((put) => put.status === 200).reduce((sum, put) => sum + put.bytes, 0));
  });

  it("pauses, resumes and finishes", async () => {
    const text = "pause and resume"; // 4 parts
    const concurrency = 2;
    // Parts 2 to 4 take 100 ms each: an upload that ignored the pause would start part 4 inside the paused window.
    lectern.storageFaults.push(...[2, 3, 4].map((partNumber) => ({ kind: "slow" as const, bytesPerSecond: 40, partNumber })));
    let paused = false;
    let pausedWindow: Promise<{ videoId: string; partNumber: number }[]> | undefined;
    const upload = createUpload({
      api: api(),
      source: memorySource(text),
      init,
      concurrency,
      onProgress: ({ partsDone }) => {
        if (partsDone !== 1 || paused) return;
        paused = true;
        const startsBefore = lectern.log.putStarts.length;
        upload.pause();
        pausedWindow = (async () => {
          await new Promise((resolve) => setTimeout(resolve, 400));
          const started = lectern.log.putStarts.slice(startsBefore);
          upload.resume();
          return started;
        })();
      },
    });
    const video = await upload.done;
    expect(paused).toBe(true);
    // While paused, storage sees at most the parts already on their way when pause() was called (2 and 3), once each.
    const startedWhilePaused = ((await pausedWindow) ?? []).map(({ partNumber }) => partNumber);
    expect(startedWhilePaused.filter((partNumber) => partNumber > 1 + concurrency)).toEqual([]);
    expect(new Set(startedWhilePaused).size).toBe(startedWhilePaused.length);
    // Resumed, it sends the stopped parts again (part 4 for the first time) and finishes.
    const starts = lectern.log.putStarts.filter((start) => start.videoId === video.id).map(({ partNumber }) => partNumber);
    expect(starts.filter((partNumber) => partNumber === 4)).toEqual([4]);
    expect(lectern.assembled(video.id).toString()).toBe(text);
  });

  it("cancel stops sending and aborts the upload on the server", async () => {
    const upload = createUpload({
      api: api(),
      source: memorySource("cancel me please!"),
      init,
      concurrency: 1,
      onProgress: ({ partsDone }) => {
        if (partsDone === 1) void upload.cancel();
      },
    });
    await expect(upload.done).rejects.toMatchObject({ code: "cancelled" });
    await upload.cancel();
    const fake = lectern.videos.get(upload.videoId ?? "");
    expect(fake?.status).toBe("aborted");
    expect(fake?.parts.size).toBeLessThan(fake?.partCount ?? 0);
    expect(lectern.log.apiCalls.filter((call) => call === `POST /${upload.videoId}/abort`)).toHaveLength(1);
  });
});

/** A network the test switches off and on: `quietly` changes what `online()` says without an event (events can lag). */
function switchableNetwork() {
  let online = true;
  const listeners = new Set<(online: boolean) => void>();
  const connectivity: Connectivity = {
    online: () => online,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    connectivity,
    set(value: boolean, { quietly = false } = {}) {
      online = value;
      if (!quietly) for (const listener of listeners) listener(value);
    },
    listeners,
  };
}

describe("createUpload while offline", () => {
  it("waits out network failures while offline without spending attempts, and goes on once back online", async () => {
    const network = switchableNetwork();
    const noRetries = { ...retry, maxAttempts: 1 };
    const offlineApi = createUploadApi({ baseUrl: lectern.baseUrl, headers: { authorization: `Bearer ${TOKEN}` }, retry: noRetries, connectivity: network.connectivity });
    // The device lost its network and the browser has not said so yet: the init call fails on the way, later part 2.
    network.set(false, { quietly: true });
    lectern.apiFaults.push("reset");
    lectern.storageFaults.push({ kind: "reset", partNumber: 2 });
    const callsBefore = lectern.log.apiCalls.length;
    const putsBefore = lectern.log.puts.length;
    const changes: boolean[] = [];
    const upload = createUpload({
      api: offlineApi,
      source: memorySource("0123456789"),
      init,
      concurrency: 1,
      retry: noRetries,
      connectivity: network.connectivity,
      onConnectionChange: (online) => changes.push(online),
      onProgress: ({ partsDone }) => {
        if (partsDone === 1) network.set(false, { quietly: true });
      },
    });
    const failed = upload.done.then(
      () => undefined,
      (error: unknown) => error,
    );
    await expect.poll(() => lectern.log.apiCalls.length).toBe(callsBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Waiting, not failed, and not trying again while offline.
    expect(lectern.log.apiCalls.length).toBe(callsBefore + 1);
    expect(changes).toEqual([false]);
    network.set(true);

    // Part 1 goes through; part 2 fails while (quietly) offline and waits.
    await expect.poll(() => lectern.storageFaults.length).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lectern.log.puts.slice(putsBefore).map((put) => [put.partNumber, put.status])).toEqual([
      [1, 200],
      [2, 0],
    ]);
    expect(changes).toEqual([false, true, false]);
    network.set(true);

    const video = await upload.done;
    expect(await failed).toBeUndefined();
    expect(lectern.assembled(video.id).toString()).toBe("0123456789");
    expect(changes).toEqual([false, true, false, true]);
    expect(delays).toEqual([]);
    expect(network.listeners.size).toBe(0);
  });

  it("stops sending when the device goes offline and resumes by itself when it is back", async () => {
    const network = switchableNetwork();
    const noRetries = { ...retry, maxAttempts: 1 };
    // Part 2 takes long enough to be in flight when the network goes.
    lectern.storageFaults.push({ kind: "hang", partNumber: 2 });
    const changes: boolean[] = [];
    const upload = createUpload({
      api: createUploadApi({ baseUrl: lectern.baseUrl, headers: { authorization: `Bearer ${TOKEN}` }, retry: noRetries, connectivity: network.connectivity }),
      source: memorySource("abcdefghij"),
      init,
      concurrency: 1,
      retry: noRetries,
      connectivity: network.connectivity,
      onConnectionChange: (online) => changes.push(online),
    });
    await expect.poll(() => lectern.storageFaults.length).toBe(0);
    const before = lectern.log.puts.length;
    network.set(false);
    // The hung part was stopped (its request closed) and nothing is sent while offline.
    await expect.poll(() => lectern.log.puts.length).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(lectern.log.puts.length).toBe(before + 1);
    expect(changes).toEqual([false]);
    network.set(true);

    const video = await upload.done;
    expect(lectern.assembled(video.id).toString()).toBe("abcdefghij");
    expect(changes).toEqual([false, true]);
  });
});

describe("createUpload with the settings a user gets", () => {
  let dir: string;
  let userLectern: FakeLectern;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "lectern-defaults-"));
    userLectern = await startFakeLectern({ partSize: USER_PART_SIZE, initialUrls: 10, token: TOKEN });
  });
  afterAll(async () => {
    await userLectern.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("uploads a file of 8 MiB parts with the default concurrency, stall timeout and retries", async () => {
    const file = path.join(dir, "lecture.mp4");
    const sha256 = await writeLargeFile({ file, size: 2 * USER_PART_SIZE + 777_777, seed: 3 });
    // One failure, retried with the default backoff (no injected sleep).
    userLectern.storageFaults.push({ kind: "status", status: 500, partNumber: 2 });
    const source = await openFileSource({ file, type: "video/mp4" });
    try {
      const video = await createUpload({
        api: createUploadApi({ baseUrl: userLectern.baseUrl, headers: { authorization: `Bearer ${TOKEN}` } }),
        source,
        init,
      }).done;
      expect(userLectern.videos.get(video.id)).toMatchObject({ status: "uploaded", partSize: USER_PART_SIZE, partCount: 3 });
      expect(createHash("sha256").update(userLectern.assembled(video.id)).digest("hex")).toBe(sha256);
      expect(userLectern.log.puts.filter((put) => put.partNumber === 2).map((put) => put.status)).toEqual([500, 200]);
    } finally {
      await source.close();
    }
  });
});

describe("progress inside a part", () => {
  let dir: string;
  let userLectern: FakeLectern;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "lectern-in-part-"));
    userLectern = await startFakeLectern({ partSize: USER_PART_SIZE, token: TOKEN });
  });
  afterAll(async () => {
    await userLectern.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reports the bytes of a part on its way (and a speed) before storage has it", async () => {
    const file = path.join(dir, "one-part.mp4");
    await writeLargeFile({ file, size: 4 * 1024 * 1024, seed: 5 });
    // Storage reads the part at 8 MiB/s: half a second on the way.
    userLectern.storageFaults.push({ kind: "slow", bytesPerSecond: 8 * 1024 * 1024 });
    const progress: UploadProgress[] = [];
    const source = await openFileSource({ file, type: "video/mp4" });
    try {
      await createUpload({
        api: createUploadApi({ baseUrl: userLectern.baseUrl, headers: { authorization: `Bearer ${TOKEN}` } }),
        source,
        init,
        onProgress: (p) => progress.push(p),
      }).done;
    } finally {
      await source.close();
    }
    // (How much is "sent" early depends on the socket's buffers; that some is, before the part is stored, does not.)
    const inPart = progress.filter((p) => p.partsDone === 0 && p.bytesSending > 0);
    expect(inPart.length).toBeGreaterThanOrEqual(1);
    expect(inPart.some((p) => p.bytesPerSecond > 0)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ bytesDone: source.size, bytesSending: 0, partsDone: 1 });
  });
});

describe("openFileSource", () => {
  it("reads exactly the requested range of a file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lectern-source-"));
    try {
      const file = path.join(dir, "clip.webm");
      await writeFile(file, "0123456789");
      const source = await openFileSource({ file, type: "video/webm" });
      expect(source).toMatchObject({ size: 10, name: "clip.webm", type: "video/webm" });
      expect(await new Response(await source.slice({ start: 3, end: 7 })).text()).toBe("3456");
      await source.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
