import { describe, expect, it } from "vitest";
import { classifyFailure, FAILURE_REASONS, plainFailureReason } from "@/lib/processing/failure-reasons";

// stderr as ffprobe/ffmpeg 5.1 print it (-v error) for real uploads: a cut MP4, a broken WebM, random bytes, …
const samples = {
  moov: "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x1ae5b140] moov atom not found\n/tmp/lectern-4f1c2e9a-1111-4222-8333-944455556666-Ab12/source: Invalid data found when processing input\n",
  ebml: "[matroska,webm @ 0x55bcf5cea280] Element at 0x5 ending at 0x20 exceeds containing master element ending at 0x1e\n[matroska,webm @ 0x55bcf5cea280] EBML header parsing failed\n/tmp/lectern-x/source: Invalid data found when processing input\n",
  invalid: "/tmp/lectern-x/source: Invalid data found when processing input\n",
  notAllowed: "[hls @ 0x56470bd6d7c0] Format not on whitelist 'mov,matroska,avi'\n/tmp/lectern-x/source: Invalid argument\n",
  protocol: "[http @ 0x561b0b216bc0] Protocol 'http' not on whitelist 'file,pipe'!\n[hls @ 0x561b0b212700] Error when loading first segment 'http://10.0.0.1/seg.ts'\n",
  noVideo: "Stream specifier ':v:0' in filtergraph description [0:v:0]split=4[s0][s1][s2][s3] matches no streams.\n",
  codec: "Decoder (codec av1) not found for input stream #0:0\n",
  unknownCodec: "Decoder (codec none) not found for input stream #0:0\n",
  damaged:
    "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55aeee36ba40] stream 1, offset 0x11107: partial file\n[h264 @ 0x55aeee3a3e80] Invalid NAL unit size (415 > 234).\nError while decoding stream #0:0: Invalid data found when processing input\n",
  other: "[libx264 @ 0x5600aa] Error setting option foo to value bar.\n/tmp/lectern-x/out/hls/720p/index.m3u8: Something unexpected\n",
};

describe("failure reasons", () => {
  it("says in plain words what the common ffprobe and ffmpeg errors mean", () => {
    expect(plainFailureReason(samples.moov)).toBe("The file is incomplete: it ends before the video index. Upload the whole file again.");
    expect(plainFailureReason(samples.ebml)).toMatch(/^The file is not a video we can read: its WebM\/Matroska header is damaged/);
    expect(plainFailureReason(samples.invalid)).toMatch(/^The file is not a video we can read: it is not an MP4, MOV, WebM, Matroska or AVI video/);
    expect(plainFailureReason(samples.notAllowed)).toMatch(/^The file is not a video we can read/);
    expect(plainFailureReason(samples.protocol)).toMatch(/^The file points to other files or network addresses/);
    expect(plainFailureReason(samples.noVideo)).toBe("The file has no video track we can read.");
    expect(plainFailureReason(samples.codec)).toBe("The video uses a codec we cannot decode (av1). Export it as H.264, HEVC, VP9 or AV1 and upload again.");
    expect(plainFailureReason(samples.unknownCodec)).toBe("The video uses a codec we cannot decode. Export it as H.264, HEVC, VP9 or AV1 and upload again.");
    expect(plainFailureReason(samples.damaged)).toMatch(/^The video is damaged: parts of it cannot be decoded/);
  });

  it("never passes on ffmpeg's [demuxer @ 0x…] prefixes or the worker's paths", () => {
    for (const stderr of Object.values(samples)) {
      const reason = plainFailureReason(stderr);
      expect(reason).not.toMatch(/@ 0x|\/tmp\/|lectern-/);
    }
    expect(plainFailureReason(samples.other)).toBe("The video could not be processed (Error setting option foo to value bar).");
    expect(plainFailureReason("")).toBe("The video could not be processed.");
  });
});

describe("failure reason codes (the failure metric's labels)", () => {
  it("names each recognised cause, and ffmpeg's other errors unreadable", () => {
    const codes = Object.fromEntries(Object.entries(samples).map(([name, stderr]) => [name, classifyFailure(stderr).code]));
    expect(codes).toEqual({
      moov: "incomplete-file",
      ebml: "damaged-header",
      invalid: "not-a-video",
      notAllowed: "not-a-video",
      protocol: "external-references",
      noVideo: "no-video-track",
      codec: "unsupported-codec",
      unknownCodec: "unsupported-codec",
      damaged: "damaged",
      other: "unreadable",
    });
    for (const code of Object.values(codes)) expect(FAILURE_REASONS).toContain(code);
    for (const stderr of Object.values(samples)) expect(classifyFailure(stderr).message).toBe(plainFailureReason(stderr));
  });
});
