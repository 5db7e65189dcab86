import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { writeLargeFile } from "@/tests/helpers/large-file";
import { startFakeLectern, USER_PART_SIZE, type FakeLectern } from "./fake-lectern";

const COURSE = "7c9e6679-7425-40de-944b-e07c4fc1e000";
const TOKEN = "cli-token";
const root = path.resolve(import.meta.dirname, "../../..");

let lectern: FakeLectern;
let dir: string;

beforeAll(async () => {
  lectern = await startFakeLectern({ partSize: 4, token: TOKEN });
  dir = await mkdtemp(path.join(os.tmpdir(), "lectern-cli-"));
});
afterAll(async () => {
  await lectern.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs the CLI as `tsx scripts/upload.ts` does (asynchronously: the fake server lives in this process);
 * `whileRunning` gets the child, to interrupt it.
 */
function runCli(
  args: string[],
  whileRunning?: (child: ChildProcess) => void,
  server: FakeLectern = lectern,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/upload.ts", ...args], {
      cwd: root,
      env: { ...process.env, XDG_CACHE_HOME: path.join(dir, "cache"), LECTERN_TOKEN: TOKEN, LECTERN_URL: server.baseUrl },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    whileRunning?.(child);
  });
}

describe("npm run upload", () => {
  it("explains bad arguments and exits 2", async () => {
    const result = await runCli(["talk.txt", "--course", "nope", "--difficulty", "expert"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--course must be a course id");
    expect(result.stderr).toContain("--title is required");
    expect(result.stderr).toContain("Difficulty must be beginner, intermediate or advanced");
    expect(result.stderr).toContain("The file must be .mp4, .webm, .mov or .avi");
  });

  it("fails with storage's message, stops on Ctrl-C, and each run resumes from the parts storage holds", async () => {
    const file = path.join(dir, "talk.mp4");
    await writeFile(file, "0123456789");
    const args = [file, "--course", COURSE, "--title", "Talk", "--tags", "a, b", "--concurrency", "1"];
    const cacheFile = path.join(dir, "cache/lectern/uploads.json");

    // Part 2 is refused for good, so the first run stops with part 1 stored.
    lectern.storageFaults.push({ kind: "status", status: 400, code: "InvalidArgument", partNumber: 2 });
    const failed = await runCli(args);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("Upload failed: Storage rejected part 2 with 400 (InvalidArgument");
    const saved = JSON.parse(await readFile(cacheFile, "utf8")) as { videoId: string; file: string }[];
    const videoId = saved[0]?.videoId ?? "";
    expect(saved).toEqual([expect.objectContaining({ file, videoId })]);
    const video = lectern.videos.get(videoId);
    expect(video?.parts.size).toBe(1);

    // Part 3 hangs; Ctrl-C while it is in flight stops the run without aborting the upload on the server.
    lectern.storageFaults.push({ kind: "hang", partNumber: 3 });
    const interrupted = await runCli(args, (child) => {
      const poll = setInterval(() => {
        if (lectern.storageFaults.length > 0) return;
        clearInterval(poll);
        child.kill("SIGINT");
      }, 5);
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain(`Resuming upload ${videoId}: 1 of 3 parts already stored`);
    expect(interrupted.stderr).toContain("Run the same command again to resume");
    expect(video?.status).toBe("uploading");
    expect(lectern.log.apiCalls).not.toContain(`POST /${videoId}/abort`);

    const finished = await runCli(args);
    expect(finished.code).toBe(0);
    expect(finished.stderr).toContain(`Resuming upload ${videoId}: 2 of 3 parts already stored`);
    expect(finished.stdout.trim().split("\n").at(-1)).toBe(videoId);
    expect(lectern.assembled(videoId).toString()).toBe("0123456789");
    expect(JSON.parse(await readFile(cacheFile, "utf8"))).toEqual([]);
  });

  it("uploads a multi-part file with the defaults a user gets: 8 MiB parts, 4 at a time, default timeouts", async () => {
    const userLectern = await startFakeLectern({ partSize: USER_PART_SIZE, initialUrls: 10, token: TOKEN });
    try {
      const file = path.join(dir, "long lecture.mp4");
      const sha256 = await writeLargeFile({ file, size: 4 * USER_PART_SIZE + 12_345, seed: 9 });
      const result = await runCli([file, "--course", COURSE, "--title", "Long lecture"], undefined, userLectern);
      expect(result.stderr).not.toContain("Upload failed");
      expect(result.code).toBe(0);
      const videoId = result.stdout.trim().split("\n").at(-1) ?? "";
      expect(userLectern.videos.get(videoId)).toMatchObject({ status: "uploaded", partCount: 5 });
      expect(createHash("sha256").update(userLectern.assembled(videoId)).digest("hex")).toBe(sha256);
    } finally {
      await userLectern.close();
    }
  });
});
