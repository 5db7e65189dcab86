import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type postgres from "postgres";
import type { VideoDto } from "@/lib/videos/dto";
import { E2E_PART, expect, fileBytes, type InitData, sha256, test, type World } from "./world";

const run = promisify(execFile);

/** A video that is ready to watch, as far as the API can tell (no processing needed for the refusals). */
async function readyVideo(sql: postgres.Sql, world: World): Promise<string> {
  const id = randomUUID();
  await sql`insert into videos (id, course_id, lesson_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, uploaded_at, metadata)
    values (${id}, ${world.courseId}, ${world.lessonIds[1]}, 'Week 3 intro to sets', 'week-3.mp4', 'local', 'lectern', ${`videos/${world.courseId}/${id}/source.mp4`}, 1000, 'video/mp4', 'ready', now(),
      ${sql.json({ tags: ["sets"] })})`;
  return id;
}

const file = (fileSize: number) => ({ filename: "week-3_take-2.mp4", fileSize, contentType: "video/mp4" });

test.describe("POST /videos/:id/replace", () => {
  test("refuses strangers, editors, viewers, bad input, deleted videos and unfinished ones", async ({ api, world, sql }) => {
    const { owner, editor, viewer, outsider } = world.users;
    const videoId = await readyVideo(sql, world);
    const replace = (as: (typeof world.users)["owner"], body: unknown, id = videoId) => api.call<InitData>("POST", `/videos/${id}/replace`, { as, body });

    expect((await api.call("POST", `/videos/${videoId}/replace`, { body: file(1000) })).status).toBe(401);
    const stranger = await replace(outsider, file(1000));
    expect(stranger.status).toBe(404);
    expect(stranger.body.error?.code).toBe("not_found");
    for (const member of [editor, viewer]) {
      const refused = await replace(member, file(1000));
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe("forbidden");
    }
    const missing = await replace(owner, { filename: "x.mp4", contentType: "video/mp4" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "validation_error", details: { fieldErrors: { fileSize: [expect.any(String)] } } });
    expect((await replace(owner, { ...file(1000), fileSize: -5 })).status).toBe(400);
    expect((await replace(owner, { ...file(1000), metadata: { title: "no" } })).status).toBe(400); // only the file changes
    expect((await replace(owner, "{not json")).status).toBe(400);
    const notVideo = await replace(owner, { ...file(1000), contentType: "text/plain" });
    expect(notVideo.status).toBe(415);
    expect(notVideo.body.error?.code).toBe("unsupported_media_type");
    expect((await replace(owner, file(1000), "not-a-uuid")).status).toBe(404);
    expect((await replace(owner, file(1000), randomUUID())).status).toBe(404);

    // A video still uploading has no source to replace.
    const uploading = await api.init(owner, { courseId: world.courseId, fileSize: 1000 });
    const early = await replace(owner, file(1000), uploading.body.data.videoId);
    expect(early.status).toBe(409);
    expect(early.body.error?.code).toBe("conflict");

    expect((await api.call("DELETE", `/videos/${videoId}`, { as: owner })).status).toBe(204);
    expect((await replace(owner, file(1000))).status).toBe(404);
  });

  test("answers like upload-init for the same id; one replacement at a time; a failed one leaves the video as it was", async ({ api, world, sql }) => {
    test.setTimeout(120_000);
    const { owner, instructor, viewer } = world.users;
    const videoId = await readyVideo(sql, world);
    const size = E2E_PART + 1234;
    const started = await api.call<InitData>("POST", `/videos/${videoId}/replace`, { as: owner, body: file(size) });
    expect(started.status).toBe(201);
    const session = started.body.data;
    expect(session).toMatchObject({ videoId, partSize: E2E_PART, partCount: 2, uploadId: expect.any(String), expiresAt: expect.any(String) });
    expect(session.parts.map((part) => part.partNumber)).toEqual([1, 2]);
    expect(session.storageKey).not.toBe(`videos/${world.courseId}/${videoId}/source.mp4`);

    const second = await api.call("POST", `/videos/${videoId}/replace`, { as: instructor, body: file(size) });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe("conflict");
    expect((await api.call("POST", `/videos/${videoId}/reprocess`, { as: owner })).status).toBe(409);

    // Meanwhile the video is unchanged for everyone; its staff see the replacement.
    const during = await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: owner });
    expect(during.body.data).toMatchObject({ status: "ready", title: "Week 3 intro to sets", replacement: { status: "uploading", originalFilename: "week-3_take-2.mp4", fileSizeBytes: size } });
    const seen = await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: viewer });
    expect(seen.body.data.status).toBe("ready");
    expect(seen.body.data).not.toHaveProperty("replacement");

    // The existing parts and abort endpoints serve it.
    const listed = await api.call<{ partSize: number; partCount: number; parts: unknown[] }>("GET", `/videos/${videoId}/parts`, { as: owner });
    expect(listed.body.data).toEqual({ partSize: E2E_PART, partCount: 2, parts: [] });
    const aborted = await api.call<VideoDto>("POST", `/videos/${videoId}/abort`, { as: owner });
    expect(aborted.status).toBe(200);
    expect(aborted.body.data).toMatchObject({ id: videoId, status: "ready" });
    expect((await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: owner })).body.data.replacement).toMatchObject({ status: "aborted" });

    // After an abort another may start; uploaded and completed like any upload, it is processed: these bytes are no
    // video, so it fails, and the video keeps what it had.
    const again = await api.call<InitData>("POST", `/videos/${videoId}/replace`, { as: instructor, body: file(size) });
    expect(again.status).toBe(201);
    const completed = await api.uploadAll(instructor, again.body.data, fileBytes(size));
    expect(completed.status).toBe(200);
    expect(completed.body.data).toMatchObject({ id: videoId, status: "ready", title: "Week 3 intro to sets", processing: { stage: "queued" } });
    expect((await api.call("POST", `/videos/${videoId}/abort`, { as: owner })).status).toBe(409);
    await expect
      .poll(async () => (await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: owner })).body.data.replacement?.status, { timeout: 90_000 })
      .toBe("failed");
    const after = (await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: owner })).body.data;
    expect(after).toMatchObject({
      status: "ready",
      title: "Week 3 intro to sets",
      lessonId: world.lessonIds[1],
      originalFilename: "week-3.mp4",
      metadata: { tags: ["sets"] },
      replacement: { status: "failed", error: expect.any(String) },
    });
  });
});

test("npm run upload --replace sends a new source for the video; the video keeps its details", async ({ api, world, sql, storage, baseURL }) => {
  test.setTimeout(120_000);
  const videoId = await readyVideo(sql, world);
  const dir = await mkdtemp(path.join(os.tmpdir(), "lectern-cli-replace-"));
  const cli = (args: string[]) =>
    run("npm", ["run", "--silent", "upload", "--", ...args, "--url", baseURL ?? ""], {
      env: { ...process.env, LECTERN_TOKEN: world.users.instructor.token, XDG_CACHE_HOME: dir },
    });
  try {
    const data = fileBytes(E2E_PART + 999, 5);
    const file = path.join(dir, "take two.mp4");
    await writeFile(file, data);
    const mixed = await cli([file, "--replace", videoId, "--title", "Renamed"]).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--title does not go with --replace/);

    const { stdout } = await cli([file, "--replace", videoId]);
    expect(stdout.trim().split("\n").at(-1)).toBe(videoId);
    const video = (await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: world.users.owner })).body.data;
    expect(video).toMatchObject({ status: "ready", title: "Week 3 intro to sets", lessonId: world.lessonIds[1] });
    expect(["uploaded", "failed"]).toContain(video.replacement?.status); // the bytes are no video: processing fails it
    const [row] = await sql<{ storage_key: string }[]>`select storage_key from video_replacements where video_id = ${videoId}`;
    const { body } = await storage.getObjectStream({ key: row?.storage_key ?? "" });
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
