import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import type { VideoDto } from "@/lib/videos/dto";
import { expect, fileBytes, type Member, test, type World } from "./world";
import { e2eStack } from "../e2e-stack";

type Api = Parameters<Parameters<typeof test>[2]>[0]["api"];

/** A finished upload in the world's course. */
async function uploadedVideo(api: Api, world: World, options: { as?: Member; lessonId?: string; title?: string } = {}) {
  const as = options.as ?? world.users.owner;
  const data = fileBytes(100);
  const init = await api.init(as, { courseId: world.courseId, fileSize: data.length, lessonId: options.lessonId, metadata: { title: options.title ?? "Video" } });
  return (await api.uploadAll(as, init.body.data, data)).body.data;
}

test.describe("upload-init input", () => {
  test("refuses files over the limit (413) and types that are not video (415)", async ({ api, world }) => {
    const tooLarge = await api.init(world.users.owner, { courseId: world.courseId, fileSize: 2 * 1024 ** 3 + 1 });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: "file_too_large", details: { maxBytes: 2 * 1024 ** 3 } });
    // The same words as the upload form's limit (lib/format-bytes).
    expect(tooLarge.body.error?.message).toBe("Videos can be at most 2.0 GB.");
    const wrongType = await api.init(world.users.owner, { courseId: world.courseId, fileSize: 10, contentType: "application/pdf" });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error?.code).toBe("unsupported_media_type");
  });

  test("names every invalid field", async ({ api, world }) => {
    const response = await api.init(world.users.owner, {
      courseId: world.courseId,
      fileSize: -5,
      filename: "",
      metadata: {
        title: " ",
        description: "x".repeat(5001),
        tags: Array.from({ length: 21 }, (_, index) => `t${index}`),
        difficulty: "expert",
        language: "not a language",
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe("validation_error");
    const fields = Object.keys((response.body.error?.details?.fieldErrors ?? {}) as Record<string, string[]>);
    expect(fields.sort()).toEqual(
      ["fileSize", "filename", "metadata.description", "metadata.difficulty", "metadata.language", "metadata.tags", "metadata.title"].sort(),
    );
  });

  test("refuses a lesson of another course (400) and an unknown course (404)", async ({ api, world }) => {
    const lesson = await api.init(world.users.owner, { courseId: world.courseId, lessonId: world.otherLessonId, fileSize: 10 });
    expect(lesson.status).toBe(400);
    expect(lesson.body.error?.details).toMatchObject({ fieldErrors: { lessonId: [expect.any(String)] } });
    const course = await api.init(world.users.owner, { courseId: "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b", fileSize: 10 });
    expect(course.status).toBe(404);
  });

  test("malformed JSON is a 400, a body over 64 KB a 413, and credentials are required", async ({ api, world }) => {
    const malformed = await api.call("POST", "/videos/upload-init", {
      as: world.users.owner,
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.code).toBe("bad_request");
    const huge = await api.call("POST", "/videos/upload-init", { as: world.users.owner, body: { padding: "x".repeat(70 * 1024) } });
    expect(huge.status).toBe(413);
    const anonymous = await api.init({ id: "", email: "", token: "lct_invalid" }, { courseId: world.courseId, fileSize: 10 });
    expect(anonymous.status).toBe(401);
  });

  test("too many upload starts in a minute get 429 with Retry-After", async ({ api, world }) => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let attempt = 0; attempt < 21; attempt++) {
      const response = await api.init(world.users.instructor, { courseId: world.courseId, fileSize: 10 });
      statuses.push(response.status);
      retryAfter = response.headers["retry-after"];
    }
    expect(statuses.slice(0, 20).every((status) => status === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

test.describe("roles", () => {
  test("an editor may edit details but not upload or delete", async ({ api, world }) => {
    const video = await uploadedVideo(api, world);
    expect((await api.init(world.users.editor, { courseId: world.courseId, fileSize: 10 })).status).toBe(403);
    const edited = await api.call<VideoDto>("PATCH", `/videos/${video.id}`, { as: world.users.editor, body: { title: "Better title", version: video.version } });
    expect(edited.status).toBe(200);
    expect((await api.call("DELETE", `/videos/${video.id}`, { as: world.users.editor })).status).toBe(403);
  });

  test("a viewer may only read, and only ready videos", async ({ api, world, sql }) => {
    const video = await uploadedVideo(api, world);
    expect((await api.call("PATCH", `/videos/${video.id}`, { as: world.users.viewer, body: { title: "x", version: video.version } })).status).toBe(404);
    // Ready without its renditions: this test is about access, not playback (the stack's worker fails these bytes).
    await sql`update videos set status = 'ready', processing_stage = null, processing_job_id = null where id = ${video.id}`;
    const ready = await api.call<VideoDto>("GET", `/videos/${video.id}`, { as: world.users.viewer });
    expect(ready.status).toBe(200);
    const patch = await api.call("PATCH", `/videos/${video.id}`, { as: world.users.viewer, body: { title: "x", version: ready.body.data.version } });
    expect(patch.status).toBe(403);
    expect((await api.init(world.users.viewer, { courseId: world.courseId, fileSize: 10 })).status).toBe(403);
  });

  test("a user with no role on the course sees nothing (404), never a 403", async ({ api, world }) => {
    const video = await uploadedVideo(api, world);
    const outsider = world.users.outsider;
    expect((await api.call("GET", `/videos/${video.id}`, { as: outsider })).status).toBe(404);
    expect((await api.call("PATCH", `/videos/${video.id}`, { as: outsider, body: { title: "x", version: 1 } })).status).toBe(404);
    expect((await api.call("DELETE", `/videos/${video.id}`, { as: outsider })).status).toBe(404);
    expect((await api.init(outsider, { courseId: world.courseId, fileSize: 10 })).status).toBe(404);
    expect((await api.call("GET", `/courses/${world.courseId}/videos`, { as: outsider })).status).toBe(404);
  });

  test("malformed ids are 404s, not 500s", async ({ api, world }) => {
    for (const path of ["/videos/not-a-uuid", "/videos/1/parts", "/courses/nope/videos", "/lessons/nope/videos"]) {
      expect((await api.call("GET", path, { as: world.users.owner })).status).toBe(404);
    }
  });
});

test.describe("editing and deleting", () => {
  test("PATCH updates details with a new version; a stale version gets 409 with the current video", async ({ api, world }) => {
    const video = await uploadedVideo(api, world, { title: "Original" });
    const first = await api.call<VideoDto>("PATCH", `/videos/${video.id}`, {
      as: world.users.owner,
      body: { title: "Renamed", description: "About candles", tags: ["a"], difficulty: "advanced", language: "en", lessonId: world.lessonIds[1], version: video.version },
    });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({
      title: "Renamed",
      description: "About candles",
      lessonId: world.lessonIds[1],
      metadata: { tags: ["a"], difficulty: "advanced", language: "en" },
      version: video.version + 1,
    });
    const stale = await api.call("PATCH", `/videos/${video.id}`, { as: world.users.owner, body: { title: "Lost update", version: video.version } });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.details).toMatchObject({ current: { title: "Renamed", version: video.version + 1 } });

    const cleared = await api.call<VideoDto>("PATCH", `/videos/${video.id}`, {
      as: world.users.owner,
      body: { difficulty: null, lessonId: null, version: video.version + 1 },
    });
    expect(cleared.body.data).toMatchObject({ lessonId: null, metadata: { tags: ["a"], difficulty: null, language: "en" } });
    const unknownField = await api.call("PATCH", `/videos/${video.id}`, { as: world.users.owner, body: { status: "ready", version: 9 } });
    expect(unknownField.status).toBe(400);
  });

  test("DELETE soft-deletes (204, then 404) and removes the objects from storage", async ({ api, world, storage }) => {
    const video = await uploadedVideo(api, world);
    const prefix = `videos/${world.courseId}/${video.id}/`;
    expect(await storage.listKeys({ prefix })).toHaveLength(1);
    expect((await api.call("DELETE", `/videos/${video.id}`, { as: world.users.instructor })).status).toBe(204);
    expect((await api.call("GET", `/videos/${video.id}`, { as: world.users.owner })).status).toBe(404);
    expect(await storage.listKeys({ prefix })).toEqual([]);
  });
});

test.describe("listing", () => {
  test("a course's videos, newest first, a page at a time; filters by lesson and status; deleted excluded", async ({ api, world }) => {
    const made: VideoDto[] = [];
    for (let index = 0; index < 5; index++) {
      made.push(await uploadedVideo(api, world, { title: `V${index}`, lessonId: index % 2 === 0 ? world.lessonIds[0] : undefined }));
    }
    await api.call("DELETE", `/videos/${made[4]?.id}`, { as: world.users.owner });
    const uploading = await api.init(world.users.owner, { courseId: world.courseId, fileSize: 10, metadata: { title: "Pending" } });

    const titles: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await api.call<VideoDto[]>("GET", `/courses/${world.courseId}/videos?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { as: world.users.owner });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      titles.push(...page.body.data.map((video) => video.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(titles).toEqual(["Pending", "V3", "V2", "V1", "V0"]);

    const lesson = await api.call<VideoDto[]>("GET", `/courses/${world.courseId}/videos?lessonId=${world.lessonIds[0]}`, { as: world.users.owner });
    expect(lesson.body.data.map((video) => video.title)).toEqual(["V2", "V0"]);
    const sameByLesson = await api.call<VideoDto[]>("GET", `/lessons/${world.lessonIds[0]}/videos`, { as: world.users.editor });
    expect(sameByLesson.body).toEqual({ data: lesson.body.data, nextCursor: null });
    const pending = await api.call<VideoDto[]>("GET", `/courses/${world.courseId}/videos?status=uploading`, { as: world.users.owner });
    expect(pending.body.data.map((video) => video.id)).toEqual([uploading.body.data.videoId]);
    expect((await api.call<VideoDto[]>("GET", `/courses/${world.courseId}/videos`, { as: world.users.viewer })).body.data).toEqual([]);
  });

  test("bad limits and cursors are 400s", async ({ api, world }) => {
    for (const query of ["limit=0", "limit=101", "limit=ten", "cursor=garbage", "status=done"]) {
      const response = await api.call("GET", `/courses/${world.courseId}/videos?${query}`, { as: world.users.owner });
      expect(response.status, query).toBe(400);
    }
  });
});

/** An uploaded video waiting for an external processor: no job queued, so the stack's own worker leaves it alone. */
async function queuedForExternalProcessing(api: Api, world: World, sql: Sql) {
  const init = await api.init(world.users.owner, { courseId: world.courseId, fileSize: 100 });
  await sql`update videos set status = 'uploaded', uploaded_at = now(), processing_stage = 'queued' where id = ${init.body.data.videoId}`;
  return (await api.call<VideoDto>("GET", `/videos/${init.body.data.videoId}`, { as: world.users.owner })).body.data;
}

test.describe("processing status (internal)", () => {
  test("follows legal transitions with the processing secret, refuses the rest with 409", async ({ api, world, sql }) => {
    const video = await queuedForExternalProcessing(api, world, sql);
    const report = (body: Record<string, unknown>, headers: Record<string, string> = { "x-processing-secret": e2eStack().processingSecret }) =>
      api.call<VideoDto>("POST", `/videos/${video.id}/processing-status`, { body, headers });

    const processing = await report({ status: "processing" });
    expect(processing.status).toBe(200);
    expect(processing.body.data.processing.startedAt).not.toBeNull();
    // The worker's rules: reports never bump the version, so an editor's edit meanwhile is no conflict.
    expect(processing.body.data.version).toBe(video.version);
    const progress = await report({ status: "processing", stage: "transcoding", progressPercent: 50 });
    expect(progress.body.data).toMatchObject({ status: "processing", version: video.version, processing: { stage: "transcoding", progressPercent: 50 } });
    const edited = await api.call<VideoDto>("PATCH", `/videos/${video.id}`, { as: world.users.editor, body: { description: "Mid-run edit", version: video.version } });
    expect(edited.status).toBe(200);
    const ready = await report({
      status: "ready",
      durationSeconds: 10.04,
      cdnUrl: "https://cdn.example.com/master.m3u8",
      thumbnailUrl: "https://cdn.example.com/poster.jpg",
      transcodedVersions: [{ name: "720p", width: 1280, height: 720, bitrate: 2_800_000, playlistKey: "videos/x/720p.m3u8" }],
      metadata: { probe: { codec: "h264" } },
    });
    expect(ready.body.data).toMatchObject({ status: "ready", durationSeconds: 10.04, cdnUrl: "https://cdn.example.com/master.m3u8" });
    expect(ready.body.data).toMatchObject({ version: edited.body.data.version, description: "Mid-run edit" });
    expect((await report({ status: "uploading" })).status).toBe(409);
    expect((await report({ status: "failed", error: "x" })).status).toBe(409);
  });

  test("never completes an upload, and never takes a video from the job that owns it", async ({ api, world, sql }) => {
    const headers = { "x-processing-secret": e2eStack().processingSecret };
    const open = await api.init(world.users.owner, { courseId: world.courseId, fileSize: 100 });
    for (const status of ["uploaded", "processing"]) {
      const refused = await api.call("POST", `/videos/${open.body.data.videoId}/processing-status`, { body: { status }, headers });
      expect(refused.status, status).toBe(409);
    }
    expect((await api.call<VideoDto>("GET", `/videos/${open.body.data.videoId}`, { as: world.users.owner })).body.data.status).toBe("uploading");

    const video = await queuedForExternalProcessing(api, world, sql);
    const path = `/videos/${video.id}/processing-status`;
    expect((await api.call("POST", path, { body: { status: "processing", jobId: randomUUID() }, headers })).status).toBe(200);
    const intruder = await api.call("POST", path, { body: { status: "processing", jobId: randomUUID() }, headers });
    expect(intruder.status).toBe(409);
    expect(intruder.body.error?.code).toBe("conflict");
  });

  test("refuses users' tokens and a wrong secret with 403, and no credentials with 401", async ({ api, world }) => {
    const video = await uploadedVideo(api, world);
    const path = `/videos/${video.id}/processing-status`;
    expect((await api.call("POST", path, { as: world.users.owner, body: { status: "processing" } })).status).toBe(403);
    expect((await api.call("POST", path, { body: { status: "processing" }, headers: { "x-processing-secret": "wrong" } })).status).toBe(403);
    expect((await api.call("POST", path, { body: { status: "processing" } })).status).toBe(401);
    // Credentials are checked before the body is read: no field details for anonymous callers.
    const anonymous = await api.call("POST", path, { body: { status: "bogus", padding: "x".repeat(1000) } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error?.details).toBeUndefined();
    const invalid = await api.call("POST", path, { body: { status: "ready" }, headers: { "x-processing-secret": e2eStack().processingSecret } });
    expect(invalid.status).toBe(400);
  });
});
