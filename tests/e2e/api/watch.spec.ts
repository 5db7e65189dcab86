import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { CourseProgress, VideoAnalytics, VideoProgress } from "@/lib/watch/schemas";
import { expect, test, type World } from "./world";

/** A ready 60-second video row of the world's course (the watch routes need no media). */
async function readyVideo(sql: postgres.Sql, world: World, { status = "ready", title = "Lecture" } = {}): Promise<string> {
  const id = randomUUID();
  await sql`
    insert into videos (id, course_id, lesson_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
    values (${id}, ${world.courseId}, ${world.lessonIds[0]}, ${title}, 'w.mp4', 'local', 'lectern', ${`videos/${world.courseId}/${id}/source.mp4`}, 1000, 'video/mp4', ${status}, 60)`;
  return id;
}

test.describe("watching over HTTP", () => {
  test("POST /watch records a batch and answers the progress; GET /progress reads it back; a replay changes nothing", async ({ api, world, sql }) => {
    const videoId = await readyVideo(sql, world);
    const { viewer } = world.users;
    const sessionId = randomUUID();
    const first = await api.call<VideoProgress>("POST", `/videos/${videoId}/watch`, { as: viewer, body: { sessionId, sequence: 0, position: 30, intervals: [[0, 30]], playbackRate: 2 } });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ videoId, position: 30, watchedSeconds: 30, durationSeconds: 60, watchedShare: 0.5, completed: false, completedAt: null, lastWatchedAt: expect.any(String) });

    // The same batch again (a retried request), even claiming other seconds: nothing changes.
    const replay = await api.call<VideoProgress>("POST", `/videos/${videoId}/watch`, { as: viewer, body: { sessionId, sequence: 0, position: 59, intervals: [[30, 40]], playbackRate: 1 } });
    expect(replay.status).toBe(200);
    expect(replay.body.data).toMatchObject({ position: 30, watchedSeconds: 30 });
    const [session] = await sql<{ batches: number; watched_seconds: number }[]>`select batches, watched_seconds from watch_sessions where id = ${sessionId}`;
    expect(session).toEqual({ batches: 1, watched_seconds: 30 });

    const progress = await api.call<VideoProgress>("GET", `/videos/${videoId}/progress`, { as: viewer });
    expect(progress.status).toBe(200);
    expect(progress.body.data).toMatchObject({ position: 30, watchedShare: 0.5, completed: false });
    // Another member's progress is their own.
    expect((await api.call<VideoProgress>("GET", `/videos/${videoId}/progress`, { as: world.users.editor })).body.data).toMatchObject({ position: null, watchedSeconds: 0 });
  });

  test("absurd or malformed batches are 400 with fieldErrors and store nothing", async ({ api, world, sql }) => {
    const videoId = await readyVideo(sql, world);
    const { viewer } = world.users;
    const post = (body: unknown) => api.call("POST", `/videos/${videoId}/watch`, { as: viewer, body });
    const batch = (overrides: Record<string, unknown>) => ({ sessionId: randomUUID(), sequence: 0, position: 5, intervals: [[0, 5]], playbackRate: 1, ...overrides });
    const cases: [string, unknown, string][] = [
      ["past the end", batch({ intervals: [[50, 70]] }), "intervals.0"],
      ["position past the end", batch({ position: 90 }), "position"],
      ["more than the first batch's wall clock allows", batch({ intervals: [[0, 40]] }), "intervals"],
      ["the same seconds many times over", batch({ intervals: Array.from({ length: 5 }, () => [0, 10]) }), "intervals"],
      ["negative", batch({ intervals: [[-3, 5]] }), "intervals.0.0"],
      ["end before start", batch({ intervals: [[8, 5]] }), "intervals.0"],
      ["empty interval", batch({ intervals: [[5, 5]] }), "intervals.0"],
      ["a speed no player has", batch({ playbackRate: 16 }), "playbackRate"],
      ["not a session id", batch({ sessionId: "abc" }), "sessionId"],
      ["an unknown field", batch({ userId: world.users.owner.id }), "(body)"],
    ];
    for (const [name, body, field] of cases) {
      const refused = await post(body);
      expect(refused.status, name).toBe(400);
      expect(refused.body.error, name).toMatchObject({ code: "validation_error", message: expect.any(String), details: { fieldErrors: { [field]: [expect.any(String)] } } });
    }
    expect((await post("{not json")).status).toBe(400);
    expect((await post([])).status).toBe(400);
    const stored = await sql<{ n: number }[]>`select (select count(*) from watch_sessions where video_id = ${videoId}) + (select count(*) from watch_progress where video_id = ${videoId} and watched_seconds > 0) as n`;
    expect(Number(stored[0]?.n)).toBe(0);

    // A second batch right after the first may carry only the slack's worth.
    const sessionId = randomUUID();
    expect((await post(batch({ sessionId, intervals: [[0, 10]], position: 10 }))).status).toBe(200);
    const early = await post(batch({ sessionId, sequence: 1, intervals: [[10, 30]], position: 30 }));
    expect(early.status).toBe(400);
    expect((await api.call<VideoProgress>("GET", `/videos/${videoId}/progress`, { as: viewer })).body.data).toMatchObject({ watchedSeconds: 10, position: 10 });
  });

  test("strangers get 404 on every watch route; viewers and editors cannot read analytics or course progress (403)", async ({ api, world, sql }) => {
    const videoId = await readyVideo(sql, world);
    const { outsider, viewer, editor } = world.users;
    const batch = { sessionId: randomUUID(), sequence: 0, position: 1, intervals: [[0, 1]], playbackRate: 1 };
    expect((await api.call("POST", `/videos/${videoId}/watch`, { as: outsider, body: batch })).status).toBe(404);
    expect((await api.call("GET", `/videos/${videoId}/progress`, { as: outsider })).status).toBe(404);
    expect((await api.call("GET", `/videos/${videoId}/analytics`, { as: outsider })).status).toBe(404);
    expect((await api.call("GET", `/courses/${world.courseId}/progress`, { as: outsider })).status).toBe(404);
    expect((await api.call("GET", `/videos/not-a-uuid/progress`, { as: viewer })).status).toBe(404);
    expect((await api.call("GET", `/videos/${randomUUID()}/progress`, { as: viewer })).status).toBe(404);
    for (const as of [viewer, editor]) {
      const analytics = await api.call("GET", `/videos/${videoId}/analytics`, { as });
      expect(analytics.status).toBe(403);
      expect(analytics.body.error?.code).toBe("forbidden");
      expect((await api.call("GET", `/courses/${world.courseId}/progress`, { as })).status).toBe(403);
      expect((await api.call("GET", `/courses/${world.courseId}/progress?format=csv`, { as })).status).toBe(403);
    }
    // A video viewers cannot see yet is not found for them; staff are told it cannot be watched yet.
    const processing = await readyVideo(sql, world, { status: "processing" });
    expect((await api.call("POST", `/videos/${processing}/watch`, { as: viewer, body: batch })).status).toBe(404);
    expect((await api.call("POST", `/videos/${processing}/watch`, { as: world.users.owner, body: { ...batch, sessionId: randomUUID() } })).status).toBe(409);
    // Another user's session id is refused.
    expect((await api.call("POST", `/videos/${videoId}/watch`, { as: viewer, body: batch })).status).toBe(200);
    expect((await api.call("POST", `/videos/${videoId}/watch`, { as: editor, body: { ...batch, sequence: 1 } })).status).toBe(409);
  });

  test("analytics show the learner at 50 % with the retention curve; course progress as JSON and as CSV", async ({ api, world, sql, request }) => {
    const videoId = await readyVideo(sql, world, { title: '=cmd|"/c calc"!A1, week 1' });
    const { owner, instructor, viewer } = world.users;
    await api.call("POST", `/videos/${videoId}/watch`, { as: viewer, body: { sessionId: randomUUID(), sequence: 0, position: 30, intervals: [[0, 30]], playbackRate: 2 } });
    // Staff's own watching is not in the audience figures.
    await api.call("POST", `/videos/${videoId}/watch`, { as: instructor, body: { sessionId: randomUUID(), sequence: 0, position: 10, intervals: [[0, 10]], playbackRate: 1 } });

    const analytics = await api.call<VideoAnalytics>("GET", `/videos/${videoId}/analytics`, { as: instructor });
    expect(analytics.status).toBe(200);
    expect(analytics.body.data).toMatchObject({ videoId, views: 1, uniqueViewers: 1, watchSeconds: 30, averageShareWatched: 0.5, completionRate: 0, durationSeconds: 60, from: null, to: null });
    expect(analytics.body.data.retention).toEqual([...Array.from({ length: 50 }, () => 1), ...Array.from({ length: 50 }, () => 0)]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await api.call<VideoAnalytics>("GET", `/videos/${videoId}/analytics?from=${today}&to=${today}`, { as: owner })).body.data).toMatchObject({ views: 1, uniqueViewers: 1 });
    expect((await api.call<VideoAnalytics>("GET", `/videos/${videoId}/analytics?to=2020-01-01`, { as: owner })).body.data).toMatchObject({ views: 0, uniqueViewers: 0, averageShareWatched: 0 });
    expect((await api.call("GET", `/videos/${videoId}/analytics?from=yesterday`, { as: owner })).status).toBe(400);
    expect((await api.call("GET", `/videos/${videoId}/analytics?from=2026-02-01&to=2026-01-01`, { as: owner })).status).toBe(400);

    const progress = await api.call<CourseProgress>("GET", `/courses/${world.courseId}/progress`, { as: instructor });
    expect(progress.status).toBe(200);
    expect(progress.body.data.videos).toEqual([{ id: videoId, title: '=cmd|"/c calc"!A1, week 1', lessonTitle: "One", durationSeconds: 60 }]);
    expect(progress.body.data.learners).toEqual([
      { userId: viewer.id, name: "viewer", email: viewer.email, videos: [{ videoId, watchedShare: 0.5, completed: false }], completedCount: 0, averageShareWatched: 0.5, lastWatchedAt: expect.any(String) },
    ]);

    const csv = await request.get(`/api/v1/education/courses/${world.courseId}/progress?format=csv`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8; header=present");
    expect(csv.headers()["content-disposition"]).toMatch(new RegExp(`^attachment; filename="course-progress-${world.courseId}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe(`Name,Email,Videos completed,Average watched (%),Last watched (UTC),"'=cmd|""/c calc""!A1, week 1: watched (%)","'=cmd|""/c calc""!A1, week 1: completed"`);
    expect(lines[1]).toMatch(new RegExp(`^viewer,${viewer.email.replace(".", "\\.")},0,50,\\d{4}-\\d{2}-\\d{2}T[^,]+,50,no$`));
    expect(lines[2]).toBe("");
    expect((await api.call("GET", `/courses/${world.courseId}/progress?format=xlsx`, { as: owner })).status).toBe(400);
  });

  test("a member removed over HTTP loses their watch data in the course", async ({ api, world, sql }) => {
    const videoId = await readyVideo(sql, world);
    const { owner, viewer } = world.users;
    await api.call("POST", `/videos/${videoId}/watch`, { as: viewer, body: { sessionId: randomUUID(), sequence: 0, position: 5, intervals: [[0, 5]], playbackRate: 1 } });
    expect((await api.call("DELETE", `/courses/${world.courseId}/members/${viewer.id}`, { as: owner })).status).toBe(204);
    const left = await sql<{ n: number }[]>`select (select count(*) from watch_sessions where user_id = ${viewer.id}) + (select count(*) from watch_progress where user_id = ${viewer.id}) as n`;
    expect(Number(left[0]?.n)).toBe(0);
  });
});

