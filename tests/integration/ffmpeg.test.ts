import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FfmpegError, resolveBinaries, runFfmpeg } from "@/lib/processing/ffmpeg";

const { ffmpeg } = resolveBinaries({});
const dir = mkdtempSync(path.join(os.tmpdir(), "lectern-ffmpeg-test-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("running ffmpeg", () => {
  it("reports progress in seconds of output", async () => {
    const seen: number[] = [];
    await runFfmpeg({
      binary: ffmpeg,
      args: ["-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=25", "-f", "null", "-"],
      timeoutMs: 30_000,
      stallMs: 10_000,
      onProgress: (seconds) => seen.push(seconds),
    });
    expect(seen.at(-1)).toBeCloseTo(3, 0);
  });

  it("kills an ffmpeg that hangs without progress, and one that runs past its time limit", async () => {
    // Reading a FIFO nobody writes to: ffmpeg blocks forever, as a hung encoder would.
    const fifo = path.join(dir, "never");
    execFileSync("mkfifo", [fifo]);
    const hung = runFfmpeg({ binary: ffmpeg, args: ["-i", fifo, "-f", "null", "-"], timeoutMs: 30_000, stallMs: 1000 });
    await expect(hung).rejects.toMatchObject({ reason: "stalled", message: expect.stringMatching(/no progress for 1 s/) });

    const slow = runFfmpeg({
      binary: ffmpeg,
      args: ["-re", "-f", "lavfi", "-i", "testsrc=duration=60:size=160x120:rate=10", "-f", "null", "-"],
      timeoutMs: 1500,
      stallMs: 10_000,
    });
    await expect(slow).rejects.toBeInstanceOf(FfmpegError);
    await expect(slow).rejects.toMatchObject({ reason: "timeout" });
  });

  it("says what ffmpeg said when it fails", async () => {
    await expect(runFfmpeg({ binary: ffmpeg, args: ["-i", path.join(dir, "missing.mp4"), "-f", "null", "-"], timeoutMs: 10_000, stallMs: 10_000 })).rejects.toMatchObject({
      reason: "exit",
      message: expect.stringMatching(/No such file or directory/),
    });
  });
});
