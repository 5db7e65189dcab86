import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { VideoDto } from "@/lib/videos/dto";
import { expect, test, type World } from "./world";

/** A video row of the world's course (no media in storage: its transcription runs fail and retry, staying queued a while). */
async function videoRow(sql: postgres.Sql, world: World, { status = "ready", language }: { status?: string; language?: string } = {}): Promise<string> {
  const id = randomUUID();
  const metadata = language ? { language } : {};
  await sql`
    insert into videos (id, course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds, metadata)
    values (${id}, ${world.courseId}, 'Lecture', 'l.mp4', 'local', 'lectern', ${`videos/${world.courseId}/${id}/source.mp4`}, 1000, 'video/mp4', ${status}, 10, ${sql.json(metadata)})`;
  return id;
}

test.describe("POST /videos/:id/captions/generate", () => {
  test("owners and instructors queue machine captions; editors and viewers may not; one run at a time; never over a person's track", async ({ api, world, sql }) => {
    const { owner, instructor, editor, viewer, outsider } = world.users;
    const videoId = await videoRow(sql, world);
    const generate = (id: string, as: typeof owner) => api.call<VideoDto>("POST", `/videos/${id}/captions/generate`, { as });

    for (const member of [editor, viewer]) {
      const refused = await generate(videoId, member);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.message).toBe("Only the course's owners and instructors can generate machine captions.");
    }
    expect((await generate(videoId, outsider)).status).toBe(404);
    expect((await generate(randomUUID(), owner)).status).toBe(404);

    const queued = await generate(videoId, instructor);
    expect(queued.status).toBe(202);
    expect(queued.body.data.transcription).toMatchObject({ status: "queued", error: null });
    const again = await generate(videoId, owner);
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/^Machine captions are already (queued|being generated) for this video\.$/);
    // Those who work on captions read the status in the video JSON; viewers never see the job (nor its errors).
    const read = await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: editor });
    expect(read.body.data.transcription?.status).toMatch(/^(queued|running)$/);
    const asViewer = await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: viewer });
    expect(asViewer.status).toBe(200);
    expect(asViewer.body.data.transcription).toBeNull();
    const listed = await api.call<VideoDto[]>("GET", `/courses/${world.courseId}/videos`, { as: viewer });
    expect(listed.body.data.find((video) => video.id === videoId)?.transcription).toBeNull();

    const uploading = await videoRow(sql, world, { status: "uploading" });
    const notReady = await generate(uploading, owner);
    expect(notReady.status).toBe(409);
    expect(notReady.body.error?.message).toBe("Captions can be generated once the video is ready.");

    const captioned = await videoRow(sql, world, { language: "en" });
    const put = await api.call("PUT", `/videos/${captioned}/captions/en`, {
      as: editor,
      body: "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nTyped by a person.\n",
      headers: { "content-type": "text/vtt" },
    });
    expect(put.status).toBe(201);
    const kept = await generate(captioned, owner);
    expect(kept.status).toBe(409);
    expect(kept.body.error).toMatchObject({ code: "conflict", details: { language: "en", origin: "uploaded" } });
    expect(kept.body.error?.message).toMatch(/uploaded by a person; machine captions never replace them/);
  });
});
