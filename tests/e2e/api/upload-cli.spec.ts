import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { VideoDto } from "@/lib/videos/dto";
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
