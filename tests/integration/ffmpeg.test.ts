import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FfmpegError, resolveBinaries, runFfmpeg } from "@/lib/processing/ffmpeg";
import { probeVideo, untrustedInputArgs } from "@/lib/processing/probe";
import { makePlaylistFixture, makeTsSegmentFixture } from "../helpers/video-fixtures";

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

describe("choosing and running the binaries for uploads", () => {
  it("takes FFMPEG_PATH/FFPROBE_PATH, else the first on PATH, else the bundled build with a warning", () => {
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    for (const name of ["ffmpeg", "ffprobe"]) {
      writeFileSync(path.join(bin, name), "#!/bin/sh\n");
      chmodSync(path.join(bin, name), 0o755);
    }
    writeFileSync(path.join(dir, "ffmpeg"), "not executable"); // skipped: not executable
    const searchPath = [path.join(dir, "missing"), dir, bin].join(path.delimiter);

    expect(resolveBinaries({ ffmpegPath: "/opt/ffmpeg/ffmpeg", ffprobePath: "/opt/ffmpeg/ffprobe", searchPath })).toEqual({
      ffmpeg: "/opt/ffmpeg/ffmpeg",
      ffprobe: "/opt/ffmpeg/ffprobe",
      warnings: [],
    });
    expect(resolveBinaries({ searchPath })).toEqual({ ffmpeg: path.join(bin, "ffmpeg"), ffprobe: path.join(bin, "ffprobe"), warnings: [] });

    const bundled = resolveBinaries({ ffprobePath: "/opt/ffmpeg/ffprobe", searchPath: path.join(dir, "missing") });
    expect(bundled.ffmpeg).toMatch(/node_modules\/@ffmpeg-installer\/.+\/ffmpeg$/);
    expect(bundled.ffprobe).toBe("/opt/ffmpeg/ffprobe");
    expect(bundled.warnings).toEqual([expect.stringMatching(/^no ffmpeg on PATH and FFMPEG_PATH is unset: using the outdated build bundled by @ffmpeg-installer\/ffmpeg/)]);
  });

  it("reads an upload over local files and pipes only, with the accepted demuxers only", async () => {
    const segment = await makeTsSegmentFixture({ path: path.join(dir, "segment.ts"), seconds: 1 });
    const playlist = await makePlaylistFixture({ path: path.join(dir, "upload.mp4"), segments: [segment] });
    // As a plain ffmpeg reads it, the playlist pulls in a file from elsewhere on the machine.
    await runFfmpeg({ binary: ffmpeg, args: ["-i", playlist, "-f", "null", "-"], timeoutMs: 30_000, stallMs: 10_000 });

    const refused = runFfmpeg({ binary: ffmpeg, args: [...untrustedInputArgs({ input: playlist }), "-f", "null", "-"], timeoutMs: 30_000, stallMs: 10_000 });
    await expect(refused).rejects.toMatchObject({ reason: "exit", stderr: expect.stringMatching(/not on whitelist/) });
    const forced = runFfmpeg({ binary: ffmpeg, args: [...untrustedInputArgs({ input: playlist, demuxer: "mov" }), "-f", "null", "-"], timeoutMs: 30_000, stallMs: 10_000 });
    await expect(forced).rejects.toMatchObject({ reason: "exit" });
    const { ffprobe } = resolveBinaries({});
    await expect(probeVideo({ ffprobe, path: playlist })).rejects.toThrow(/playlist that points to other files/);
  });
});
