import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { AccessibilityReport, SearchHit } from "@/lib/search/schemas";
import { expect, test, type World } from "./world";

async function videoRow(sql: postgres.Sql, world: World, { title, status = "ready", durationSeconds = 60 }: { title: string; status?: string; durationSeconds?: number }) {
  const id = randomUUID();
  await sql`
    insert into videos (id, course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
    values (${id}, ${world.courseId}, ${title}, 'c.mp4', 'local', 'lectern', ${`videos/${world.courseId}/${id}/source.mp4`}, 1000, 'video/mp4', ${status}, ${durationSeconds})`;
  return id;
}

const VTT = "WEBVTT\n\n00:00:02.000 --> 00:00:04.000\nWelcome.\n\n00:00:07.500 --> 00:00:09.000\nThe Krebs cycle makes energy.\n";

test.describe("course search over HTTP", () => {
  test("members find caption moments and titles, viewers only ready videos; bad q is 400, strangers 404", async ({ api, world, sql }) => {
    const { owner, editor, viewer, outsider } = world.users;
    const ready = await videoRow(sql, world, { title: "Respiration" });
    const draft = await videoRow(sql, world, { title: "Krebs draft", status: "processing" });
    const put = await api.call("PUT", `/videos/${ready}/captions/en`, { as: editor, body: VTT, headers: { "content-type": "text/vtt" } });
    expect(put.status).toBe(201);

    const asOwner = await api.call<SearchHit[]>("GET", `/courses/${world.courseId}/search?q=krebs`, { as: owner });
    expect(asOwner.status).toBe(200);
    expect(asOwner.body.data.map((hit) => hit.video.id).sort()).toEqual([ready, draft].sort());
    const asViewer = await api.call<SearchHit[]>("GET", `/courses/${world.courseId}/search?q=${encodeURIComponent("krebs cyc")}`, { as: viewer });
    expect(asViewer.status).toBe(200);
    expect(asViewer.body.data.map((hit) => hit.video.id)).toEqual([ready]);
    expect(asViewer.body.data[0]?.cues).toEqual([
      {
        language: "en",
        startSeconds: 7.5,
        endSeconds: 9,
        text: [
          { text: "The ", match: false },
          { text: "Krebs cycle", match: true },
          { text: " makes energy", match: false },
        ],
      },
    ]);
    expect(asViewer.body).toMatchObject({ nextOffset: null });

    for (const q of ["", "%20%20", "x".repeat(201)]) {
      const bad = await api.call("GET", `/courses/${world.courseId}/search?q=${q}`, { as: viewer });
      expect(bad.status, q).toBe(400);
      expect(bad.body.error?.code).toBe("validation_error");
    }
    expect((await api.call("GET", `/courses/${world.courseId}/search`, { as: viewer })).status).toBe(400);
    expect((await api.call("GET", `/courses/${world.courseId}/search?q=krebs&limit=0`, { as: viewer })).status).toBe(400);
    const stranger = await api.call("GET", `/courses/${world.courseId}/search?q=krebs`, { as: outsider });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error?.code).toBe("not_found");
    expect((await api.call("GET", `/courses/${world.courseId}/search?q=krebs`)).status).toBe(401);
  });
});

test.describe("course accessibility report over HTTP", () => {
  test("staff see each video's caption state and the reviewed share; viewers 403, strangers 404", async ({ api, world, sql }) => {
    const { owner, instructor, editor, viewer, outsider } = world.users;
    const captioned = await videoRow(sql, world, { title: "Captioned", durationSeconds: 30 });
    await videoRow(sql, world, { title: "Bare", durationSeconds: 90 });
    expect((await api.call("PUT", `/videos/${captioned}/captions/en`, { as: editor, body: VTT, headers: { "content-type": "text/vtt" } })).status).toBe(201);

    for (const as of [owner, instructor, editor]) {
      const report = await api.call<AccessibilityReport>("GET", `/courses/${world.courseId}/accessibility`, { as });
      expect(report.status).toBe(200);
      expect(Object.fromEntries(report.body.data.videos.map((video) => [video.title, video.captionState]))).toEqual({ Captioned: "reviewed", Bare: "none" });
      expect(report.body.data).toMatchObject({ readySeconds: 120, reviewedSeconds: 30, reviewedShare: 0.25 });
    }
    const refused = await api.call("GET", `/courses/${world.courseId}/accessibility`, { as: viewer });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe("forbidden");
    expect((await api.call("GET", `/courses/${world.courseId}/accessibility`, { as: outsider })).status).toBe(404);
    expect((await api.call("GET", `/courses/${randomUUID()}/accessibility`, { as: owner })).status).toBe(404);
  });
});
