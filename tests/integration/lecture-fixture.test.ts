import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveBinaries } from "@/lib/processing/ffmpeg";
import { passthroughRefusal } from "@/lib/processing/passthrough";
import { probeVideo } from "@/lib/processing/probe";
import { makeLectureFixture, makeNeedsEncodingLectureFixture } from "@/tests/helpers/lecture-fixture";

// The benches' lecture fixtures (bench:processing, bench:presets), small: what they rely on, not how fast they are made.
const dirs: string[] = [];
const cacheDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lectern-lecture-fixture-"));
  dirs.push(dir);
  return dir;
};
const { ffprobe } = resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH, ffprobePath: process.env.FFPROBE_PATH });
const sha256 = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");
const options = { seconds: 4, width: 640, height: 360 };

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("lecture fixtures", () => {
  it("makes an H.264/AAC lecture the pipeline can pass through, the same bytes every time, cached by its parameters", { timeout: 240_000 }, async () => {
    const dir = await cacheDir();
    const lecture = await makeLectureFixture({ ...options, cacheDir: dir });
    expect(lecture.generated).toBe(true);
    const probe = await probeVideo({ ffprobe, path: lecture.path });
    expect(probe).toMatchObject({ videoCodec: "h264", audioCodec: "aac", width: 640, height: 360 });
    expect(probe.durationSeconds).toBeCloseTo(4, 0);
    expect(passthroughRefusal(probe)).toBeNull();

    expect(await makeLectureFixture({ ...options, cacheDir: dir })).toEqual({ path: lecture.path, generated: false });
    const again = await makeLectureFixture({ ...options, cacheDir: await cacheDir() });
    expect(again.generated).toBe(true);
    expect(await sha256(again.path)).toBe(await sha256(lecture.path));
    const longer = await makeLectureFixture({ ...options, seconds: 5, cacheDir: dir });
    expect(longer.path).not.toBe(lecture.path);
  });

  it("makes a variant that must be encoded before it plays", { timeout: 240_000 }, async () => {
    const variant = await makeNeedsEncodingLectureFixture({ ...options, cacheDir: await cacheDir() });
    const probe = await probeVideo({ ffprobe, path: variant.path });
    expect(probe.audioCodec).toBe("aac");
    expect(probe.durationSeconds).toBeCloseTo(4, 0);
    expect(passthroughRefusal(probe)).not.toBeNull();
    if (variant.codec === "hevc") expect(probe.videoCodec).toBe("hevc");
  });
});
