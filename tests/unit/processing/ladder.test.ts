import { describe, expect, it } from "vitest";
import { planLadder } from "@/lib/processing/ladder";

const shape = (width: number, height: number) => planLadder({ width, height }).map((r) => `${r.name} ${r.width}x${r.height}`);

describe("HLS ladder", () => {
  it("offers every rung up to the source's height, never above", () => {
    expect(shape(1920, 1080)).toEqual(["1080p 1920x1080", "720p 1280x720", "480p 854x480", "360p 640x360"]);
    expect(shape(1280, 720)).toEqual(["720p 1280x720", "480p 854x480", "360p 640x360"]);
    expect(shape(3840, 2160)[0]).toBe("1080p 1920x1080");
    expect(shape(1000, 700)).toEqual(["480p 686x480", "360p 514x360"]);
  });

  it("sizes portrait videos by their short side and keeps dimensions even", () => {
    expect(shape(1080, 1920)).toEqual(["1080p 1080x1920", "720p 720x1280", "480p 480x854", "360p 360x640"]);
    for (const rendition of planLadder({ width: 1366, height: 767 })) {
      expect(rendition.width % 2).toBe(0);
      expect(rendition.height % 2).toBe(0);
    }
  });

  it("keeps a source smaller than 360p at its own size", () => {
    expect(shape(320, 240)).toEqual(["240p 320x240"]);
  });

  it("states an H.264 codec whose level fits the rendition", () => {
    const [top] = planLadder({ width: 1920, height: 1080 });
    expect(top).toMatchObject({ level: "4.0", videoCodec: "avc1.640028" });
  });
});
