import { describe, expect, it } from "vitest";
import { acceptedDemuxer, checkLimits, DEFAULT_MEDIA_LIMITS, frameRateIsTimeBase, outputFrameRate, type Probe } from "@/lib/processing/probe";

const probe: Probe = {
  durationSeconds: 600,
  width: 1920,
  height: 1080,
  videoCodec: "h264",
  audioCodec: "aac",
  bitrate: 5_000_000,
  fps: 30,
  audio: null,
  container: "mov,mp4,m4a,3gp,3g2,mj2",
  demuxer: "mov",
};

describe("probe", () => {
  it("states the peak frame rate of a variable-frame-rate source, as HLS FRAME-RATE asks, not the average", () => {
    // A phone recording: 60 fps for a second, then 15 fps (ffprobe: r_frame_rate 60/1, avg_frame_rate 300/11).
    expect(outputFrameRate({ r_frame_rate: "60/1", avg_frame_rate: "300/11" })).toBe(60);
    expect(outputFrameRate({ r_frame_rate: "30000/1001", avg_frame_rate: "29863/1000" })).toBe(29.97);
    expect(outputFrameRate({ r_frame_rate: "25/1", avg_frame_rate: "0/0" })).toBe(25);
    expect(outputFrameRate({ r_frame_rate: "0/0", avg_frame_rate: "24/1" })).toBe(24);
    // A container's time base, not a frame rate (ffmpeg itself then encodes at the average).
    expect(outputFrameRate({ r_frame_rate: "1000/1", avg_frame_rate: "30/1" })).toBe(30);
    expect(outputFrameRate({})).toBeNull();
  });

  it("encodes a browser recording that states no frame rate at its measured average, rounded up to a common rate, not 1000 fps", () => {
    // Chromium's MediaRecorder WebM: r_frame_rate 1000/1 (the time base), avg_frame_rate 0/0; 82 frames in 2.96 s.
    const recording = { r_frame_rate: "1000/1", avg_frame_rate: "0/0" };
    expect(frameRateIsTimeBase(recording)).toBe(true);
    expect(frameRateIsTimeBase({ r_frame_rate: "30/1", avg_frame_rate: "30/1" })).toBe(false);
    expect(outputFrameRate({ ...recording, measuredAverage: 82 / 2.96 })).toBe(30);
    expect(outputFrameRate({ ...recording, measuredAverage: 30.4 })).toBe(30);
    expect(outputFrameRate({ ...recording, measuredAverage: 14.2 })).toBe(15);
    expect(outputFrameRate({ ...recording, measuredAverage: 100 })).toBe(100);
    expect(outputFrameRate({ avg_frame_rate: "0/0", measuredAverage: 24 })).toBe(24);
  });

  it("accepts only the demuxers of MP4/MOV, WebM/Matroska and AVI", () => {
    expect(acceptedDemuxer("mov,mp4,m4a,3gp,3g2,mj2")).toBe("mov");
    expect(acceptedDemuxer("matroska,webm")).toBe("matroska");
    expect(acceptedDemuxer("avi")).toBe("avi");
    for (const other of ["hls", "concat", "image2", "tty", "mpegts", ""]) expect(acceptedDemuxer(other)).toBeUndefined();
  });

  it("refuses videos past the limits with the reason", () => {
    const limits = DEFAULT_MEDIA_LIMITS;
    expect(() => checkLimits({ probe, codedWidth: 1920, codedHeight: 1080, limits })).not.toThrow();
    expect(() => checkLimits({ probe: { ...probe, width: 8200, height: 64 }, codedWidth: 8200, codedHeight: 64, limits })).toThrow(
      "The video is too large: 8200×64 pixels, and at most 8192 pixels per side are accepted.",
    );
    expect(() => checkLimits({ probe: { ...probe, fps: 300 }, codedWidth: 1920, codedHeight: 1080, limits })).toThrow("300 frames per second, and at most 240 are accepted");
    expect(() => checkLimits({ probe: { ...probe, durationSeconds: 13 * 3600 + 300 }, codedWidth: 1920, codedHeight: 1080, limits })).toThrow(
      "The video is too long: 13 h 05 min, and at most 12 h are accepted.",
    );
    expect(() => checkLimits({ probe: { ...probe, durationSeconds: 3 }, codedWidth: 1920, codedHeight: 1080, limits: { ...limits, maxDurationSeconds: 2 } })).toThrow(
      "The video is too long: 3 s, and at most 2 s are accepted.",
    );
  });
});
