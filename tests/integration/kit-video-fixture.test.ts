import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { mkdtemp } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { resolveBinaries, runFfprobe } from "@/lib/processing/ffmpeg";
import { fixtureVideo } from "@/kit/src/video-fixture";

const probe = async (file: string) => {
  const { ffprobe } = resolveBinaries({});
  const output = await runFfprobe({ binary: ffprobe, args: ["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height:format=duration", "-of", "json", file] });
  return JSON.parse(output) as { streams: { codec_type: string; codec_name: string; width?: number; height?: number }[]; format: { duration: string } };
};

/** The kit's lectern.video(): real, deterministic fixtures made with the bundled ffmpeg, cached by their parameters. */
describe("@lectern/playwright lectern.video()", () => {
  it("makes the asked-for video once, the same bytes in another cache, and the cached file after", async () => {
    const [one, two] = await Promise.all([mkdtemp(path.join(os.tmpdir(), "kit-a-")), mkdtemp(path.join(os.tmpdir(), "kit-b-"))]);
    const options = { seconds: 2, width: 320, height: 180 };
    const first = await fixtureVideo({ options, cacheDir: one });
    const info = await probe(first);
    expect(info.streams.map((stream) => [stream.codec_type, stream.codec_name])).toEqual([["video", "h264"], ["audio", "aac"]]);
    expect(info.streams[0]).toMatchObject({ width: 320, height: 180 });
    expect(Number(info.format.duration)).toBeCloseTo(2, 0);

    const { mtimeMs } = await stat(first);
    expect(await fixtureVideo({ options, cacheDir: one })).toBe(first);
    expect((await stat(first)).mtimeMs).toBe(mtimeMs);
    const elsewhere = await fixtureVideo({ options, cacheDir: two });
    expect(Buffer.compare(await readFile(first), await readFile(elsewhere))).toBe(0);

    const silentWebm = await fixtureVideo({ options: { ...options, audio: false, container: "webm" }, cacheDir: one });
    expect(path.basename(silentWebm)).toBe("pattern-2s-320x180-silent.webm");
    expect((await probe(silentWebm)).streams.map((stream) => stream.codec_name)).toEqual(["vp8"]);
  }, 120_000);

  it("says what is wrong with bad parameters", async () => {
    await expect(fixtureVideo({ options: { seconds: 0 } })).rejects.toThrow("lectern.video(): seconds must be a whole number from 1 to 3600 (got 0).");
    await expect(fixtureVideo({ options: { width: 641 } })).rejects.toThrow("width and height must be even (got 641×360)");
  });
});
