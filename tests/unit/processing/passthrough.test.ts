import { describe, expect, it } from "vitest";
import { planLadder } from "@/lib/processing/ladder";
import { copiesAudio, passthroughRefusal, passthroughRendition, rungsBelow } from "@/lib/processing/passthrough";
import type { Probe } from "@/lib/processing/probe";

const stream: NonNullable<Probe["stream"]> = { profile: "High", level: 40, pixelFormat: "yuv420p", fieldOrder: "progressive", squarePixels: true, rotation: 0, bitrate: 3_800_000 };
const h264: Probe = {
  durationSeconds: 600,
  width: 1920,
  height: 1080,
  videoCodec: "h264",
  audioCodec: "aac",
  bitrate: 4_000_000,
  fps: 30,
  audio: { codec: "aac", channels: 2, sampleRate: 48_000, profile: "LC" },
  stream,
  container: "mov,mp4,m4a,3gp,3g2,mj2",
  demuxer: "mov",
};
const withStream = (changes: Partial<typeof stream>): Probe => ({ ...h264, stream: { ...stream, ...changes } });

describe("passthrough", () => {
  it("serves H.264 8-bit 4:2:0 up to level 5.1 with AAC or no audio as it is", () => {
    expect(passthroughRefusal(h264)).toBeNull();
    expect(passthroughRefusal({ ...h264, audio: null, audioCodec: null })).toBeNull();
    expect(passthroughRefusal(withStream({ profile: "Constrained Baseline", level: 51 }))).toBeNull();
    expect(passthroughRefusal({ ...h264, demuxer: "matroska" })).toBeNull();
  });

  it("encodes what some browser would show wrong or not at all", () => {
    expect(passthroughRefusal({ ...h264, videoCodec: "hevc" })).toMatch(/hevc/);
    expect(passthroughRefusal(withStream({ pixelFormat: "yuv420p10le", profile: "High 10" }))).toMatch(/pixel format/);
    expect(passthroughRefusal(withStream({ pixelFormat: "yuv422p" }))).toMatch(/pixel format/);
    expect(passthroughRefusal(withStream({ level: 52 }))).toMatch(/level 52/);
    expect(passthroughRefusal(withStream({ fieldOrder: "tt" }))).toMatch(/interlaced/);
    expect(passthroughRefusal(withStream({ squarePixels: false }))).toMatch(/non-square/);
    expect(passthroughRefusal(withStream({ rotation: -90 }))).toMatch(/rotated/);
    expect(passthroughRefusal({ ...h264, audio: { codec: "opus", channels: 2, sampleRate: 48_000 } })).toMatch(/opus/);
    expect(passthroughRefusal({ ...h264, demuxer: "avi" })).toMatch(/AVI/);
    // A camera's 50 Mbps at 1080p is not what viewers should stream.
    expect(passthroughRefusal(withStream({ bitrate: 50_000_000 }))).toMatch(/bitrate/);
  });

  it("copies AAC-LC mono or stereo; other AAC is encoded", () => {
    expect(copiesAudio(h264)).toBe(true);
    expect(copiesAudio({ audio: { codec: "aac", channels: 6, sampleRate: 48_000, profile: "LC" } })).toBe(false);
    expect(copiesAudio({ audio: { codec: "aac", channels: 2, sampleRate: 48_000, profile: "HE-AAC" } })).toBe(false);
  });

  it("names the passthrough rendition by its short side and takes the place of the rung at its size", () => {
    const ladder = planLadder(h264);
    const rendition = passthroughRendition(h264);
    expect(rendition).toMatchObject({ name: "1080p", width: 1920, height: 1080 });
    expect(rungsBelow(ladder, rendition).map((rung) => rung.name)).toEqual(["720p", "480p", "360p"]);
    const odd = { width: 1280, height: 800 };
    expect(rungsBelow(planLadder(odd), passthroughRendition(odd)).map((rung) => rung.name)).toEqual(["720p", "480p", "360p"]);
    const small = { width: 320, height: 240 };
    expect(passthroughRendition(small).name).toBe("240p");
    expect(rungsBelow(planLadder(small), passthroughRendition(small))).toEqual([]);
  });
});
