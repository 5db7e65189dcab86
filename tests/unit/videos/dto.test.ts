import { afterEach, describe, expect, it, vi } from "vitest";
import type { Video } from "@/db/schema";
import { toVideoDto } from "@/lib/videos/dto";
import { videoDtoSchema } from "@/lib/videos/schemas";

const created = new Date("2026-03-04T05:06:07.123Z");

function video(overrides: Partial<Video> = {}): Video {
  return {
    id: "7f0c8c1e-3b7a-4d2e-9a51-2f4c6b8d0e13",
    courseId: "0d9b3c55-8f51-4a43-9d0c-6a3b1f2e4c57",
    lessonId: null,
    position: 0,
    uploadedBy: "5b2e1f0a-2c4d-4e6f-8a1b-3c5d7e9f1a2b",
    title: "Week 1: vectors",
    description: "Intro",
    originalFilename: "week-1.mp4",
    storageProvider: "s3",
    storageBucket: "media",
    storageKey: "courses/x/videos/y/source.mp4",
    storageRegion: "eu-west-1",
    fileSizeBytes: 11 * 1024 * 1024,
    mimeType: "video/mp4",
    durationSeconds: 62.5,
    status: "ready",
    uploadId: "upload-123",
    partSize: 5 * 1024 * 1024,
    uploadPartsCompleted: 3,
    uploadPartsTotal: 3,
    uploadProgressPercent: 100,
    uploadActivityAt: created,
    processingStartedAt: new Date("2026-03-04T05:07:00.000Z"),
    processingCompletedAt: new Date("2026-03-04T05:09:30.500Z"),
    processingError: null,
    processingProgressPercent: 100,
    processingStage: null,
    processingAttempt: 1,
    processingJobId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    processingHeartbeatAt: new Date("2026-03-04T05:09:30.000Z"),
    transcriptionStatus: null,
    transcriptionError: null,
    transcriptionUpdatedAt: null,
    mediaRevision: 1,
    processingRevision: 1,
    supersededPurgeAfter: null,
    cdnUrl: "/api/media/7f0c8c1e-3b7a-4d2e-9a51-2f4c6b8d0e13/master.m3u8",
    thumbnailUrl: "/api/media/7f0c8c1e-3b7a-4d2e-9a51-2f4c6b8d0e13/thumbnail.jpg",
    transcodedVersions: [{ name: "720p", width: 1280, height: 720, bitrate: 2_800_000, playlistKey: "hls/720p/index.m3u8" }],
    metadata: { tags: ["algebra", 7, "vectors"], difficulty: "beginner", language: "en", storyboard: { url: "/api/media/x/storyboard.vtt" } },
    version: 4,
    createdAt: created,
    updatedAt: new Date("2026-03-04T05:09:31.000Z"),
    uploadedAt: new Date("2026-03-04T05:06:50.000Z"),
    deletedAt: null,
    purgedAt: null,
    ...overrides,
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("toVideoDto", () => {
  it("gives the API's view of a video, dates as ISO strings", () => {
    const dto = toVideoDto(video());
    expect(dto).toMatchObject({
      id: "7f0c8c1e-3b7a-4d2e-9a51-2f4c6b8d0e13",
      status: "ready",
      partSize: 5 * 1024 * 1024,
      partCount: 3,
      upload: { partsCompleted: 3, progressPercent: 100 },
      processing: { startedAt: "2026-03-04T05:07:00.000Z", completedAt: "2026-03-04T05:09:30.500Z", error: null, progressPercent: 100, stage: null, attempt: 1 },
      createdAt: "2026-03-04T05:06:07.123Z",
      updatedAt: "2026-03-04T05:09:31.000Z",
      uploadedAt: "2026-03-04T05:06:50.000Z",
      version: 4,
    });
    expect(videoDtoSchema.parse(dto)).toEqual(dto);
  });

  it("shows no storage internals or worker bookkeeping", () => {
    const dto = toVideoDto(video());
    const text = JSON.stringify(dto);
    for (const secret of ["media", "courses/x/videos/y/source.mp4", "upload-123", "eu-west-1", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"]) {
      expect(text).not.toContain(`"${secret}"`);
    }
    for (const key of ["storageBucket", "storageKey", "storageRegion", "storageProvider", "uploadId", "processingJobId", "deletedAt", "purgedAt"]) {
      expect(dto).not.toHaveProperty(key);
    }
  });

  it("gives the machine-caption job's state to those who work on captions only", () => {
    const failed = video({ transcriptionStatus: "failed", transcriptionError: "The transcription server answered 503: model is loading", transcriptionUpdatedAt: new Date("2026-03-04T05:10:00Z") });
    expect(toVideoDto(failed).transcription).toEqual({ status: "failed", error: "The transcription server answered 503: model is loading", updatedAt: "2026-03-04T05:10:00.000Z" });
    expect(toVideoDto(failed, { hideTranscription: true }).transcription).toBeNull();
  });

  it("keeps only string tags and known metadata, null for what is missing", () => {
    expect(toVideoDto(video()).metadata).toEqual({ tags: ["algebra", "vectors"], difficulty: "beginner", language: "en" });
    expect(toVideoDto(video({ metadata: { tags: "not a list", difficulty: 3 } })).metadata).toEqual({ tags: [], difficulty: null, language: null });
  });

  it("takes the storyboard URL from the metadata when there is one", () => {
    expect(toVideoDto(video()).storyboardUrl).toBe("/api/media/x/storyboard.vtt");
    expect(toVideoDto(video({ metadata: {} })).storyboardUrl).toBeNull();
    expect(toVideoDto(video({ metadata: { storyboard: { url: 42 } } })).storyboardUrl).toBeNull();
  });

  it("gives an unfinished upload null dates and URLs", () => {
    const dto = toVideoDto(
      video({ status: "uploading", uploadedAt: null, processingStartedAt: null, processingCompletedAt: null, cdnUrl: null, thumbnailUrl: null, metadata: {} }),
    );
    expect(dto).toMatchObject({ status: "uploading", uploadedAt: null, cdnUrl: null, thumbnailUrl: null, storyboardUrl: null, processing: { startedAt: null, completedAt: null } });
    expect(videoDtoSchema.parse(dto)).toEqual(dto);
  });

  it("tells a playable video (watchable, quality still improving) from a ready one and from one that does not play yet", () => {
    const playable = toVideoDto(video({ status: "playable", processingProgressPercent: 40, processingStage: "transcoding", processingCompletedAt: null }));
    expect(playable).toMatchObject({ status: "playable", playback: { watchable: true, improving: true }, processing: { progressPercent: 40, stage: "transcoding" } });
    expect(videoDtoSchema.parse(playable)).toEqual(playable);
    expect(toVideoDto(video()).playback).toEqual({ watchable: true, improving: false });
    expect(toVideoDto(video({ status: "processing", cdnUrl: null, transcodedVersions: [] })).playback).toEqual({ watchable: false, improving: false });
    // A playable video whose ladder failed for good plays what was published; nothing more is coming.
    expect(toVideoDto(video({ status: "playable", processingStage: null, processingError: "ffmpeg stopped" })).playback).toEqual({ watchable: true, improving: false });
    // A ready video being reprocessed plays its published renditions; nothing is joining them.
    expect(toVideoDto(video({ processingStage: "transcoding" })).playback).toEqual({ watchable: true, improving: false });
  });

  it("keeps media paths relative without APP_URL and makes them absolute with it", async () => {
    expect(toVideoDto(video()).cdnUrl).toBe("/api/media/7f0c8c1e-3b7a-4d2e-9a51-2f4c6b8d0e13/master.m3u8");

    vi.stubEnv("APP_URL", "https://lectern.example");
    vi.resetModules();
    const fresh = await import("@/lib/videos/dto");
    const dto = fresh.toVideoDto(video({ cdnUrl: "https://cdn.example/v/master.m3u8" }));
    expect(dto.cdnUrl).toBe("https://cdn.example/v/master.m3u8");
    expect(dto.thumbnailUrl).toBe("https://lectern.example/api/media/7f0c8c1e-3b7a-4d2e-9a51-2f4c6b8d0e13/thumbnail.jpg");
    expect(dto.storyboardUrl).toBe("https://lectern.example/api/media/x/storyboard.vtt");
  });
});
