import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { type NewVideo, videos, videoUploadParts } from "@/db/schema";
import { SEED } from "@/dev/seed";
import { testDatabase } from "../helpers/db";

const { db, close } = testDatabase();
afterAll(close);

const video = (overrides: Partial<NewVideo> = {}): NewVideo => {
  const id = randomUUID();
  return {
    id,
    courseId: SEED.courses.trading.id,
    uploadedBy: SEED.users.instructor.id,
    title: "Intro",
    originalFilename: "intro.mp4",
    storageProvider: "s3",
    storageBucket: "lectern",
    storageKey: `videos/${SEED.courses.trading.id}/${id}/source.mp4`,
    fileSizeBytes: 3 * 1024 ** 3, // over 2^31: a bigint column
    mimeType: "video/mp4",
    ...overrides,
  };
};

// drizzle wraps driver errors; the constraint name is on the cause.
const violation = (promise: Promise<unknown>) =>
  promise.then(
    () => "no error",
    (error: { cause?: { constraint_name?: string; code?: string } }) => error.cause?.constraint_name ?? error.cause?.code,
  );

describe("videos schema", () => {
  it("applies the defaults of a new upload", async () => {
    const [row] = await db.insert(videos).values(video()).returning();
    expect(row).toMatchObject({
      status: "uploading",
      version: 1,
      metadata: {},
      transcodedVersions: [],
      uploadPartsCompleted: 0,
      uploadProgressPercent: 0,
      fileSizeBytes: 3 * 1024 ** 3,
      deletedAt: null,
    });
  });

  it("constrains status, progress, size and storage key", async () => {
    expect(await violation(db.insert(videos).values(video({ status: "bogus" as "ready" })))).toBe("videos_status_check");
    expect(await violation(db.insert(videos).values(video({ uploadProgressPercent: 101 })))).toBe("videos_progress_check");
    expect(await violation(db.insert(videos).values(video({ fileSizeBytes: 0 })))).toBe("videos_file_size_check");
    const first = video();
    await db.insert(videos).values(first);
    expect(await violation(db.insert(videos).values(video({ storageKey: first.storageKey })))).toBe("videos_storage_key_unique");
  });

  it("keeps one row per uploaded part", async () => {
    const [row] = await db.insert(videos).values(video()).returning({ id: videos.id });
    const part = { videoId: row?.id ?? "", partNumber: 1, etag: '"abc"', size: 5 * 1024 * 1024 };
    await db.insert(videoUploadParts).values(part);
    expect(await violation(db.insert(videoUploadParts).values(part))).toBe("video_upload_parts_video_id_part_number_pk");
    expect(await violation(db.insert(videoUploadParts).values({ ...part, partNumber: 10_001 }))).toBe(
      "video_upload_parts_number_check",
    );
  });
});
