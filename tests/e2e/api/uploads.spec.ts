import type { VideoDto } from "@/lib/videos/dto";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { E2E_PART, expect, fileBytes, putPart, sha256, slicePart, test } from "./world";
import { e2eStack } from "../e2e-stack";
import { listMultipartUploads } from "../../helpers/multipart-uploads";

type PartsData = { partSize: number; partCount: number; parts: { partNumber: number; etag: string; size: number }[] };

test.describe("upload lifecycle", () => {
  test("a one-part file: init, PUT, complete; the stored object is the file", async ({ api, world, storage }) => {
    const data = fileBytes(300_000);
    const init = await api.init(world.users.owner, { courseId: world.courseId, lessonId: world.lessonIds[0], fileSize: data.length });
    expect(init.status).toBe(201);
    const upload = init.body.data;
    expect(upload).toMatchObject({ partSize: E2E_PART, partCount: 1, parts: [{ partNumber: 1 }] });
    expect(upload.storageKey).toBe(`videos/${world.courseId}/${upload.videoId}/source.mp4`);
    expect(Date.parse(upload.expiresAt)).toBeGreaterThan(Date.now());

    const done = await api.uploadAll(world.users.owner, upload, data);
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({
      id: upload.videoId,
      courseId: world.courseId,
      lessonId: world.lessonIds[0],
      uploadedBy: world.users.owner.id,
      status: "uploaded",
      fileSizeBytes: data.length,
      mimeType: "video/mp4",
      partCount: 1,
      upload: { partsCompleted: 1, progressPercent: 100 },
      metadata: { tags: [], difficulty: null, language: null },
    });
    expect(done.body.data.uploadedAt).not.toBeNull();

    const { body } = await storage.getObjectStream({ key: upload.storageKey });
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));
  });

  test("a three-part file, with progress recorded as parts are reported", async ({ api, world }) => {
    const data = fileBytes(2 * E2E_PART + 12_345, 3);
    const { body } = await api.init(world.users.instructor, {
      courseId: world.courseId,
      fileSize: data.length,
      metadata: { title: "Three parts", tags: ["intro", "risk"], difficulty: "beginner", language: "pt-BR" },
    });
    const upload = body.data;
    expect(upload.partCount).toBe(3);
    const first = await putPart(upload.parts[0]?.url ?? "", slicePart(data, 1, upload.partSize));
    const signed = await api.call<{ parts: { partNumber: number; url: string }[] }>("POST", `/videos/${upload.videoId}/parts`, {
      as: world.users.instructor,
      body: { partNumbers: [2, 3], completed: [{ partNumber: 1, etag: first.etag }] },
    });
    expect(signed.status).toBe(200);
    expect(signed.body.data.parts.map((part) => part.partNumber)).toEqual([2, 3]);
    const progress = await api.call<VideoDto>("GET", `/videos/${upload.videoId}`, { as: world.users.instructor });
    expect(progress.body.data.upload).toEqual({ partsCompleted: 1, progressPercent: Math.floor((100 * E2E_PART) / data.length) });

    const done = await api.uploadAll(world.users.instructor, upload, data);
    expect(done.body.data).toMatchObject({ status: "uploaded", metadata: { tags: ["intro", "risk"], difficulty: "beginner", language: "pt-BR" } });
  });

  test("resume: two parts stored, GET parts lists them, the last one finishes the upload", async ({ api, world }) => {
    const data = fileBytes(2 * E2E_PART + 10, 4);
    const upload = (await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length })).body.data;
    const etags = [];
    for (const partNumber of [1, 2]) etags.push((await putPart(upload.parts[partNumber - 1]?.url ?? "", slicePart(data, partNumber, upload.partSize))).etag);

    // A new session (reload, other machine) asks what storage already holds.
    const parts = await api.call<PartsData>("GET", `/videos/${upload.videoId}/parts`, { as: world.users.owner });
    expect(parts.body.data).toEqual({
      partSize: E2E_PART,
      partCount: 3,
      parts: [
        { partNumber: 1, etag: etags[0], size: E2E_PART },
        { partNumber: 2, etag: etags[1], size: E2E_PART },
      ],
    });
    const third = (await api.call<{ parts: { url: string }[] }>("POST", `/videos/${upload.videoId}/parts`, { as: world.users.owner, body: { partNumbers: [3] } }))
      .body.data.parts[0];
    const last = await putPart(third?.url ?? "", slicePart(data, 3, upload.partSize));
    const done = await api.call<VideoDto>("POST", `/videos/${upload.videoId}/complete`, {
      as: world.users.owner,
      body: { parts: [...etags.map((etag, index) => ({ partNumber: index + 1, etag })), { partNumber: 3, etag: last.etag }] },
    });
    expect(done.status).toBe(200);
    expect(done.body.data.status).toBe("uploaded");
  });

  test("complete refuses missing or mismatched parts and the upload stays resumable", async ({ api, world }) => {
    const data = fileBytes(E2E_PART + 100, 5);
    const upload = (await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length })).body.data;
    const one = await putPart(upload.parts[0]?.url ?? "", slicePart(data, 1, upload.partSize));
    const complete = (parts: { partNumber: number; etag: string }[]) =>
      api.call<VideoDto>("POST", `/videos/${upload.videoId}/complete`, { as: world.users.owner, body: { parts } });

    const missing = await complete([{ partNumber: 1, etag: one.etag }]);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "parts_mismatch", details: { missing: [2] } });
    expect(missing.body.error?.message).toMatch(/missing from the list: 2/);

    const notStored = await complete([{ partNumber: 1, etag: one.etag }, { partNumber: 2, etag: '"0123"' }]);
    expect(notStored.body.error).toMatchObject({ code: "parts_mismatch", details: { notInStorage: [2] } });

    const two = await putPart(upload.parts[1]?.url ?? "", slicePart(data, 2, upload.partSize));
    const wrongEtag = await complete([{ partNumber: 1, etag: two.etag }, { partNumber: 2, etag: two.etag }]);
    expect(wrongEtag.body.error).toMatchObject({ code: "parts_mismatch", details: { etagMismatch: [1] } });

    const unordered = await complete([{ partNumber: 2, etag: two.etag }, { partNumber: 1, etag: one.etag }]);
    expect(unordered.status).toBe(400);

    // Nothing was lost: the right list completes.
    const done = await complete([{ partNumber: 1, etag: one.etag }, { partNumber: 2, etag: two.etag }]);
    expect(done.status).toBe(200);
    expect(done.body.data.status).toBe("uploaded");
  });

  test("a repeated complete returns the same video, and concurrent completes complete once", async ({ api, world }) => {
    const data = fileBytes(1000, 6);
    const upload = (await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length })).body.data;
    const { etag } = await putPart(upload.parts[0]?.url ?? "", data);
    const complete = () => api.call<VideoDto>("POST", `/videos/${upload.videoId}/complete`, { as: world.users.owner, body: { parts: [{ partNumber: 1, etag }] } });
    const results = await Promise.all([complete(), complete(), complete()]);
    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    const versions = new Set(results.map((result) => `${result.body.data.version}/${result.body.data.uploadedAt}`));
    expect(versions.size).toBe(1);
    const again = await complete();
    expect(again.status).toBe(200);
    // The same completed video (a worker may have started on it meanwhile: processing never bumps the version).
    expect(`${again.body.data.version}/${again.body.data.uploadedAt}`).toBe([...versions][0]);
    const first = results[0]?.body.data;
    expect(again.body.data).toMatchObject({ id: first?.id, version: first?.version, uploadedAt: first?.uploadedAt, fileSizeBytes: first?.fileSizeBytes, partCount: first?.partCount });
  });

  test("abort: storage drops the upload, the video is gone; an uploaded video cannot be aborted", async ({ api, world, storage }) => {
    const upload = (await api.init(world.users.owner, { courseId: world.courseId, fileSize: 10 })).body.data;
    const aborted = await api.call<VideoDto>("POST", `/videos/${upload.videoId}/abort`, { as: world.users.owner });
    expect(aborted.status).toBe(200);
    expect(aborted.body.data.status).toBe("aborted");
    expect((await api.call("GET", `/videos/${upload.videoId}`, { as: world.users.owner })).status).toBe(404);
    expect((await api.call("POST", `/videos/${upload.videoId}/abort`, { as: world.users.owner })).status).toBe(404);
    expect((await putPart(upload.parts[0]?.url ?? "", fileBytes(10))).status).toBe(404);
    expect((await listMultipartUploads(storage, { prefix: `videos/${world.courseId}/${upload.videoId}/` })).length).toBe(0);

    const data = fileBytes(20);
    const done = (await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length })).body.data;
    await api.uploadAll(world.users.owner, done, data);
    const refused = await api.call("POST", `/videos/${done.videoId}/abort`, { as: world.users.owner });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("conflict");
  });

  test("storage refuses a part larger than declared, and an expired part URL; a re-signed URL works", async ({ api, world }) => {
    const data = fileBytes(1000, 8);
    const upload = (await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length })).body.data;
    const url = upload.parts[0]?.url ?? "";
    const larger = await putPart(url, fileBytes(1001, 8));
    expect(larger.status).toBe(403);
    expect(larger.text).toContain("SignatureDoesNotMatch");

    // The store answers this upload's next part as an expired URL (as S3 does once X-Amz-Expires has passed).
    await storeAdmin(e2eStack().storage.adminEndpoint).addFault({ kind: "expired", keyPrefix: upload.storageKey });
    const expired = await putPart(url, data);
    expect(expired.status).toBe(403);
    expect(expired.text).toContain("Request has expired");

    const resigned = await api.call<{ parts: { url: string }[] }>("POST", `/videos/${upload.videoId}/parts`, { as: world.users.owner, body: { partNumbers: [1] } });
    const retried = await putPart(resigned.body.data.parts[0]?.url ?? "", data);
    expect(retried.status).toBe(200);
  });

  test("part URLs: out-of-range numbers are refused, and none are signed once the upload is over", async ({ api, world }) => {
    const data = fileBytes(50);
    const upload = (await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length })).body.data;
    const outOfRange = await api.call("POST", `/videos/${upload.videoId}/parts`, { as: world.users.owner, body: { partNumbers: [2] } });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error?.code).toBe("validation_error");
    const tooMany = await api.call("POST", `/videos/${upload.videoId}/parts`, {
      as: world.users.owner,
      body: { partNumbers: Array.from({ length: 101 }, (_, index) => index + 1) },
    });
    expect(tooMany.status).toBe(400);
    await api.uploadAll(world.users.owner, upload, data);
    const over = await api.call("POST", `/videos/${upload.videoId}/parts`, { as: world.users.owner, body: { partNumbers: [1] } });
    expect(over.status).toBe(409);
  });
});
