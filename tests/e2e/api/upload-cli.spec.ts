import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import type { VideoDto } from "@/lib/videos/dto";
import { sha256Of, writeLargeFile } from "../../helpers/large-file";
import { e2eStack } from "../e2e-stack";
import { E2E_PART, expect, fileBytes, sha256, test } from "./world";

const run = promisify(execFile);

test("npm run upload sends a file through the API; the stored object is the file", async ({ api, world, storage, baseURL }) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lectern-cli-"));
  try {
    const data = fileBytes(2 * E2E_PART + 4321, 21);
    const file = path.join(dir, "lesson one.mp4");
    await writeFile(file, data);
    const { stdout } = await run(
      "npm",
      ["run", "--silent", "upload", "--", file, "--course", world.courseId, "--title", "From the CLI", "--tags", "cli,e2e", "--url", baseURL ?? ""],
      { env: { ...process.env, LECTERN_TOKEN: world.users.instructor.token, XDG_CACHE_HOME: dir } },
    );
    const videoId = stdout.trim().split("\n").at(-1) ?? "";
    const video = await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: world.users.instructor });
    // Completed; the worker may already have picked it up (the bytes are not a real video, so it fails processing).
    expect(["uploaded", "processing", "failed"]).toContain(video.body.data.status);
    expect(video.body.data.uploadedAt).not.toBeNull();
    expect(video.body.data).toMatchObject({ title: "From the CLI", fileSizeBytes: data.length, partCount: 3, originalFilename: "lesson one.mp4", metadata: { tags: ["cli", "e2e"] } });

    const key = `videos/${world.courseId}/${videoId}/source.mp4`;
    const { body } = await storage.getObjectStream({ key });
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("npm run upload explains bad arguments and API refusals", async ({ world, baseURL }) => {
  const failure = (args: string[], token = world.users.editor.token) =>
    run("npm", ["run", "--silent", "upload", "--", ...args, "--url", baseURL ?? ""], { env: { ...process.env, LECTERN_TOKEN: token } }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
  const badArgs = await failure(["notes.txt", "--course", world.courseId, "--title", "x"]);
  expect(badArgs.code).toBe(2);
  expect(badArgs.stderr).toMatch(/\.mp4/);

  const dir = await mkdtemp(path.join(os.tmpdir(), "lectern-cli-"));
  try {
    const file = path.join(dir, "clip.mp4");
    await writeFile(file, fileBytes(1000));
    const refused = await failure([file, "--course", world.courseId, "--title", "Editor tries"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/owners and instructors/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("npm run upload survives a store failing every 5th part request; the stored object is the file", async ({ api, world, storage, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), "lectern-cli-faults-"));
  const admin = storeAdmin(e2eStack().storage.adminEndpoint);
  const keyPrefix = `videos/${world.courseId}/`;
  try {
    // 21 parts of the default 8 MiB, generated on disk (never in memory).
    const size = 20 * E2E_PART + 54_321;
    const file = path.join(dir, "long lecture.mp4");
    const fileSha256 = await writeLargeFile({ file, size, seed: 17 });
    // Every 5th part request of this course (20%) gets the next of these, in turn.
    await admin.addFault({
      kind: "mixed",
      every: 5,
      count: 10_000,
      keyPrefix,
      faults: [
        { kind: "status", status: 500 },
        { kind: "reset", afterBytes: 1024 * 1024 },
        { kind: "status", status: 429, retryAfterSeconds: 1 },
        { kind: "status", status: 503 },
        { kind: "latency", ms: 1500 },
      ],
    });

    const started = performance.now();
    const { stdout } = await run(
      "npm",
      ["run", "--silent", "upload", "--", file, "--course", world.courseId, "--title", "Through the storm", "--url", baseURL ?? ""],
      { env: { ...process.env, LECTERN_TOKEN: world.users.instructor.token, XDG_CACHE_HOME: dir } },
    );
    const seconds = (performance.now() - started) / 1000;
    const videoId = stdout.trim().split("\n").at(-1) ?? "";
    const video = await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: world.users.instructor });
    expect(video.body.data).toMatchObject({ fileSizeBytes: size, partCount: 21 });
    expect(video.body.data.uploadedAt).not.toBeNull();

    const { body } = await storage.getObjectStream({ key: `${keyPrefix}${videoId}/source.mp4` });
    expect(await sha256Of(body as AsyncIterable<Uint8Array>)).toBe(fileSha256);

    const rule = (await admin.listFaults()).faults.find((candidate) => candidate.keyPrefix === keyPrefix);
    const injected = rule?.injected ?? {};
    const faultCount = Object.values(injected).reduce((sum, n) => sum + n, 0);
    const requests = rule?.matched ?? 0;
    // Every kind was injected; every request past one per part was a retry of a failure (latency is not one).
    expect(Object.keys(injected).sort()).toEqual(["latency", "reset", "status 429", "status 500", "status 503"]);
    expect(faultCount).toBe(Math.floor(requests / 5));
    const retries = requests - 21;
    expect(retries).toBe(faultCount - (injected.latency ?? 0));

    const figures = {
      fileBytes: size,
      fileMiB: Number((size / 1024 ** 2).toFixed(1)),
      partSizeMiB: E2E_PART / 1024 ** 2,
      parts: 21,
      partRequests: requests,
      faultsInjected: injected,
      faultShare: Number((faultCount / requests).toFixed(3)),
      retries,
      seconds: Number(seconds.toFixed(2)),
      MBps: Number((size / 1e6 / seconds).toFixed(1)),
    };
    console.log(`[upload-cli faults] ${JSON.stringify(figures)}`);
    await testInfo.attach("figures.json", { body: JSON.stringify(figures, null, 2), contentType: "application/json" });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
