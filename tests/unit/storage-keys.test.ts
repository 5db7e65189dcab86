import { describe, expect, it } from "vitest";
import { videoDerivedKey, videoPrefix, videoSourceKey } from "@/lib/storage/keys";

const courseId = "00000000-0000-4000-8000-000000000101";
const videoId = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";

describe("storage keys", () => {
  it("put a video's source under its course and id, with an extension from its content type", () => {
    expect(videoSourceKey({ courseId, videoId, contentType: "video/mp4" })).toBe(`videos/${courseId}/${videoId}/source.mp4`);
    expect(videoSourceKey({ courseId, videoId, contentType: "video/quicktime" })).toMatch(/source\.mov$/);
    expect(videoSourceKey({ courseId, videoId, contentType: "video/x-msvideo" })).toMatch(/source\.avi$/);
    expect(() => videoSourceKey({ courseId, videoId, contentType: "text/plain" })).toThrow();
  });

  it("never take anything but UUIDs for ids", () => {
    expect(() => videoPrefix({ courseId: "../../etc", videoId })).toThrow();
    expect(() => videoPrefix({ courseId, videoId: "my video.mp4" })).toThrow();
    expect(videoPrefix({ courseId: courseId.toUpperCase(), videoId })).toBe(`videos/${courseId}/${videoId}/`);
  });

  it("keep derived files beside the source and refuse paths that climb out", () => {
    expect(videoDerivedKey({ courseId, videoId, path: "hls/720p/segment-001.ts" })).toBe(`videos/${courseId}/${videoId}/hls/720p/segment-001.ts`);
    expect(() => videoDerivedKey({ courseId, videoId, path: "../other/poster.jpg" })).toThrow();
    expect(() => videoDerivedKey({ courseId, videoId, path: "/abs.jpg" })).toThrow();
  });
});
