import { randomUUID } from "node:crypto";
import type { ChaptersDto } from "@/lib/captions/chapters";
import { expect, test } from "./world";

test.describe("chapters over HTTP", () => {
  test("editors set chapters (ascending, within the video, versioned); members read them as JSON and as a WebVTT chapters track", async ({ api, world, sql, request }) => {
    const videoId = randomUUID();
    await sql`
      insert into videos (id, course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
      values (${videoId}, ${world.courseId}, 'Chaptered', 'c.mp4', 'local', 'lectern', ${`videos/${world.courseId}/${videoId}/source.mp4`}, 1000, 'video/mp4', 'ready', 10)`;
    const { owner, editor, viewer, outsider } = world.users;
    const path = `/videos/${videoId}/chapters`;

    expect((await api.call<ChaptersDto>("GET", path, { as: viewer })).body.data).toEqual({ chapters: [], version: 0, vttUrl: `/api/v1/education${path}?format=vtt` });
    const chapters = [
      { startSeconds: 0, title: "Intro" },
      { startSeconds: 4.5, title: "Pricing" },
    ];
    const set = await api.call<ChaptersDto>("PUT", path, { as: editor, body: { chapters, version: 0 } });
    expect(set.status).toBe(200);
    expect(set.body.data).toMatchObject({ chapters, version: 1 });
    const vtt = await request.get(`/api/v1/education${path}?format=vtt`, { headers: { authorization: `Bearer ${viewer.token}` } });
    expect(vtt.headers()["content-type"]).toBe("text/vtt; charset=utf-8");
    expect(await vtt.text()).toBe("WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.500\nIntro\n\n2\n00:00:04.500 --> 00:00:10.000\nPricing\n");

    const stale = await api.call("PUT", path, { as: owner, body: { chapters: [], version: 0 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "conflict", details: { current: { version: 1, chapters } } });

    const unordered = await api.call("PUT", path, { as: owner, body: { chapters: [{ startSeconds: 5, title: "B" }, { startSeconds: 2, title: "A" }] } });
    expect(unordered.status).toBe(400);
    expect(unordered.body.error?.details).toEqual({ fieldErrors: { "chapters.1.startSeconds": [expect.stringMatching(/ascending/)] } });
    const late = await api.call("PUT", path, { as: owner, body: { chapters: [{ startSeconds: 10, title: "After" }] } });
    expect(late.body.error?.details).toEqual({ fieldErrors: { "chapters.0.startSeconds": ["The chapter starts at or after the video's end (00:00:10.000)."] } });
    const long = await api.call("PUT", path, { as: owner, body: { chapters: [{ startSeconds: 1, title: "x".repeat(121) }] } });
    expect(long.body.error?.details).toEqual({ fieldErrors: { "chapters.0.title": ["Chapter titles must be at most 120 characters."] } });

    expect((await api.call("PUT", path, { as: viewer, body: { chapters } })).status).toBe(403);
    expect((await api.call("PUT", path, { as: outsider, body: { chapters } })).status).toBe(404);
    expect((await api.call("GET", path, { as: outsider })).status).toBe(404);
    expect((await api.call("GET", `${path}?format=srt`, { as: viewer })).status).toBe(400);

    // Without a version the chapters are replaced; an empty list removes them.
    expect((await api.call<ChaptersDto>("PUT", path, { as: owner, body: { chapters: [] } })).body.data).toMatchObject({ chapters: [], version: 2 });
  });
});
