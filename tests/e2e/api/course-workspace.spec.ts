import { randomUUID } from "node:crypto";
import type { CourseDto, LessonDto, LessonWithVideos } from "@/lib/courses/schemas";
import { expect, type Member, test, type World } from "./world";

type Api = Parameters<Parameters<typeof test>[2]>[0]["api"];

const asError = { error: { code: expect.any(String), message: expect.any(String) } };

/** Every course, lesson and order route with a valid body, for the refusal sweeps. */
function writes(world: World): { method: string; path: string; body?: unknown }[] {
  const [one, two] = world.lessonIds;
  return [
    { method: "PATCH", path: `/courses/${world.courseId}`, body: { title: "x", version: 1 } },
    { method: "POST", path: `/courses/${world.courseId}/lessons`, body: { title: "x" } },
    { method: "PUT", path: `/courses/${world.courseId}/lessons/order`, body: { lessonIds: [two, one] } },
    { method: "PATCH", path: `/lessons/${one}`, body: { title: "x" } },
    { method: "PUT", path: `/lessons/${one}/videos/order`, body: { videoIds: [] } },
    { method: "DELETE", path: `/lessons/${two}` },
  ];
}

test.describe("courses", () => {
  test("POST /courses creates a course owned by its creator; 400 for bad input", async ({ api, world }) => {
    const created = await api.call<CourseDto>("POST", "/courses", { as: world.users.outsider, body: { title: "  Algebra  ", description: "Week 1" } });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ id: expect.any(String), title: "Algebra", description: "Week 1", role: "owner", archivedAt: null, version: 1, lessons: [] });
    const mine = await api.call<CourseDto[]>("GET", "/courses", { as: world.users.outsider });
    expect(mine.body.data.map((course) => course.id)).toContain(created.body.data.id);
    expect((await api.call("GET", `/courses/${created.body.data.id}`, { as: world.users.owner })).status).toBe(404);

    for (const body of [{}, { title: "" }, { title: "x".repeat(201) }, { title: "ok", extra: 1 }, { title: 5 }]) {
      const refused = await api.call("POST", "/courses", { as: world.users.outsider, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: "validation_error", message: expect.any(String), details: { fieldErrors: expect.any(Object) } } });
    }
  });

  test("GET /courses/:id for members; PATCH with version: 200, stale 409 with the current course, 403, 404, 400", async ({ api, world }) => {
    const read = await api.call<CourseDto>("GET", `/courses/${world.courseId}`, { as: world.users.viewer });
    expect(read.body.data).toMatchObject({ id: world.courseId, role: "viewer", version: 1, archivedAt: null });
    const path = `/courses/${world.courseId}`;
    const edited = await api.call<CourseDto>("PATCH", path, { as: world.users.instructor, body: { title: "Renamed", description: "About", version: 1 } });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ title: "Renamed", description: "About", version: 2 });
    const stale = await api.call("PATCH", path, { as: world.users.owner, body: { title: "Late", version: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: "conflict", details: { current: { title: "Renamed", version: 2 } } } });
    for (const as of [world.users.editor, world.users.viewer]) expect((await api.call("PATCH", path, { as, body: { title: "x", version: 2 } })).status).toBe(403);
    expect((await api.call("PATCH", path, { as: world.users.outsider, body: { title: "x", version: 2 } })).body).toMatchObject({ error: { code: "not_found" } });
    expect((await api.call("GET", path, { as: world.users.outsider })).status).toBe(404);
    expect((await api.call("GET", `/courses/not-a-uuid`, { as: world.users.owner })).status).toBe(404);
    expect((await api.call("PATCH", path, { as: world.users.owner, body: { title: "x" } })).status).toBe(400);
  });

  test("archive: owners only; hidden from GET /courses unless include=archived; every write 409 course_archived; restore", async ({ api, world }) => {
    const { owner, instructor, editor, viewer, outsider } = world.users;
    const init = await api.init(owner, { courseId: world.courseId, lessonId: world.lessonIds[0], fileSize: 1000 });
    expect(init.status).toBe(201);
    for (const as of [instructor, editor, viewer]) expect((await api.call("POST", `/courses/${world.courseId}/archive`, { as })).status).toBe(403);
    expect((await api.call("POST", `/courses/${world.courseId}/archive`, { as: outsider })).status).toBe(404);
    const archived = await api.call<CourseDto>("POST", `/courses/${world.courseId}/archive`, { as: owner });
    expect(archived.status).toBe(200);
    expect(archived.body.data.archivedAt).toEqual(expect.any(String));

    const listed = async (query: string) => (await api.call<CourseDto[]>("GET", `/courses${query}`, { as: editor })).body.data.map((course) => course.id);
    expect(await listed("")).not.toContain(world.courseId);
    expect(await listed("?include=archived")).toContain(world.courseId);
    expect((await api.call("GET", "/courses?include=everything", { as: editor })).status).toBe(400);

    const videoWrites = [
      { method: "POST", path: "/videos/upload-init", body: { courseId: world.courseId, filename: "a.mp4", fileSize: 1000, contentType: "video/mp4", metadata: { title: "a" } } },
      { method: "POST", path: `/videos/${init.body.data.videoId}/parts`, body: { partNumbers: [1] } },
      { method: "PATCH", path: `/videos/${init.body.data.videoId}`, body: { title: "x", version: 1 } },
      { method: "DELETE", path: `/videos/${init.body.data.videoId}` },
      { method: "POST", path: `/courses/${world.courseId}/archive` },
    ];
    for (const write of [...writes(world), ...videoWrites]) {
      const refused = await api.call(write.method, write.path, { as: owner, body: write.body });
      expect(refused.status, `${write.method} ${write.path}`).toBe(409);
      expect(refused.body, `${write.method} ${write.path}`).toMatchObject({ error: { code: "course_archived", message: expect.stringMatching(/archived/) } });
    }
    // Reads still work, for everyone.
    expect((await api.call("GET", `/courses/${world.courseId}/lessons`, { as: viewer })).status).toBe(200);

    expect((await api.call("POST", `/courses/${world.courseId}/restore`, { as: instructor })).status).toBe(403);
    const restored = await api.call<CourseDto>("POST", `/courses/${world.courseId}/restore`, { as: owner });
    expect(restored.body.data.archivedAt).toBeNull();
    expect((await api.call("POST", `/courses/${world.courseId}/lessons`, { as: owner, body: { title: "After" } })).status).toBe(201);
  });
});

test.describe("lessons", () => {
  test("GET lists the outline for every member, in order; strangers 404", async ({ api, world }) => {
    const outline = await api.call<LessonWithVideos[]>("GET", `/courses/${world.courseId}/lessons`, { as: world.users.viewer });
    expect(outline.status).toBe(200);
    expect(outline.body.data.map((lesson) => [lesson.id, lesson.title, lesson.position, lesson.videos])).toEqual([
      [world.lessonIds[0], "One", 1, []],
      [world.lessonIds[1], "Two", 2, []],
    ]);
    expect((await api.call("GET", `/courses/${world.courseId}/lessons`, { as: world.users.outsider })).status).toBe(404);
  });

  test("POST, PATCH and DELETE: owners and instructors; editors and viewers 403; strangers 404; bad input 400", async ({ api, world }) => {
    const added = await api.call<LessonDto>("POST", `/courses/${world.courseId}/lessons`, { as: world.users.instructor, body: { title: "Three" } });
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ courseId: world.courseId, title: "Three", position: 3 });
    const renamed = await api.call<LessonDto>("PATCH", `/lessons/${added.body.data.id}`, { as: world.users.owner, body: { title: "Third" } });
    expect(renamed.body.data.title).toBe("Third");

    for (const as of [world.users.editor, world.users.viewer]) {
      for (const write of writes(world)) {
        if (write.path === `/courses/${world.courseId}`) continue;
        const refused = await api.call(write.method, write.path, { as, body: write.body });
        expect(refused.status, `${as.email} ${write.method} ${write.path}`).toBe(403);
        expect(refused.body).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
      }
    }
    for (const write of writes(world)) {
      const refused = await api.call(write.method, write.path, { as: world.users.outsider, body: write.body });
      expect(refused.status, `${write.method} ${write.path}`).toBe(404);
      expect(refused.body).toMatchObject(asError);
    }
    expect((await api.call("PATCH", `/lessons/${randomUUID()}`, { as: world.users.owner, body: { title: "x" } })).status).toBe(404);
    expect((await api.call("PATCH", `/lessons/not-a-uuid`, { as: world.users.owner, body: { title: "x" } })).status).toBe(404);
    for (const body of [{}, { title: "" }, { title: "   " }, { title: "x".repeat(201) }]) {
      expect((await api.call("POST", `/courses/${world.courseId}/lessons`, { as: world.users.owner, body })).status, JSON.stringify(body)).toBe(400);
      expect((await api.call("PATCH", `/lessons/${world.lessonIds[0]}`, { as: world.users.owner, body })).status, JSON.stringify(body)).toBe(400);
    }

    const removed = await api.call("DELETE", `/lessons/${world.lessonIds[0]}`, { as: world.users.owner });
    expect(removed.status).toBe(204);
    const outline = await api.call<LessonWithVideos[]>("GET", `/courses/${world.courseId}/lessons`, { as: world.users.owner });
    expect(outline.body.data.map((lesson) => [lesson.title, lesson.position])).toEqual([["Two", 1], ["Third", 2]]);
  });

  test("deleting a lesson keeps its videos, unassigned", async ({ api, world }) => {
    const init = await api.init(world.users.owner, { courseId: world.courseId, lessonId: world.lessonIds[1], fileSize: 1000 });
    expect((await api.call("DELETE", `/lessons/${world.lessonIds[1]}`, { as: world.users.instructor })).status).toBe(204);
    const video = await api.call<{ lessonId: string | null }>("GET", `/videos/${init.body.data.videoId}`, { as: world.users.owner });
    expect(video.status).toBe(200);
    expect(video.body.data.lessonId).toBeNull();
  });
});

test.describe("order", () => {
  const order = (api: Api, as: Member, courseId: string, lessonIds: unknown) => api.call<LessonDto[]>("PUT", `/courses/${courseId}/lessons/order`, { as, body: { lessonIds } });

  test("PUT /courses/:id/lessons/order takes exactly the current set; 400 order_mismatch names what differs", async ({ api, world }) => {
    const [one, two] = world.lessonIds;
    const done = await order(api, world.users.instructor, world.courseId, [two, one]);
    expect(done.status).toBe(200);
    expect(done.body.data.map((lesson) => [lesson.id, lesson.position])).toEqual([[two, 1], [one, 2]]);

    const stranger = randomUUID();
    const cases: [unknown, Record<string, unknown>][] = [
      [[two], { missing: [one], extra: [], duplicated: [] }],
      [[two, one, stranger], { missing: [], extra: [stranger], duplicated: [] }],
      [[two, one, two], { missing: [], extra: [], duplicated: [two] }],
      [[world.otherLessonId, one], { missing: [two], extra: [world.otherLessonId], duplicated: [] }],
    ];
    for (const [lessonIds, details] of cases) {
      const refused = await order(api, world.users.owner, world.courseId, lessonIds);
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ error: { code: "order_mismatch", message: expect.stringMatching(/exactly once/), details } });
    }
    for (const lessonIds of ["nope", [1, 2], ["not-a-uuid"]]) {
      expect((await order(api, world.users.owner, world.courseId, lessonIds)).body).toMatchObject({ error: { code: "validation_error" } });
    }
    const outline = await api.call<LessonWithVideos[]>("GET", `/courses/${world.courseId}/lessons`, { as: world.users.owner });
    expect(outline.body.data.map((lesson) => lesson.id)).toEqual([two, one]);
  });

  test("concurrent reorders each apply whole", async ({ api, world }) => {
    const [one, two] = world.lessonIds;
    const results = await Promise.all(Array.from({ length: 6 }, (_, index) => order(api, world.users.owner, world.courseId, index % 2 ? [one, two] : [two, one])));
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const outline = await api.call<LessonWithVideos[]>("GET", `/courses/${world.courseId}/lessons`, { as: world.users.owner });
    expect(outline.body.data.map((lesson) => lesson.position)).toEqual([1, 2]);
  });

  test("PUT /lessons/:id/videos/order: new uploads go last; the list must be exactly the lesson's videos; viewers see ready ones", async ({ api, world, sql }) => {
    const lessonId = world.lessonIds[0];
    const ids = [];
    for (let index = 0; index < 3; index++) {
      const init = await api.init(world.users.owner, { courseId: world.courseId, lessonId, fileSize: 1000, metadata: { title: `V${index}` } });
      ids.push(init.body.data.videoId);
    }
    const [a, b, c] = ids as [string, string, string];
    const staff = await api.call<LessonWithVideos[]>("GET", `/courses/${world.courseId}/lessons`, { as: world.users.editor });
    expect(staff.body.data[0]?.videos.map((video) => video.id)).toEqual([a, b, c]);

    const path = `/lessons/${lessonId}/videos/order`;
    const refused = await api.call("PUT", path, { as: world.users.owner, body: { videoIds: [c, a, a] } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: "order_mismatch", details: { missing: [b], extra: [], duplicated: [a] } } });
    expect((await api.call("PUT", path, { as: world.users.editor, body: { videoIds: [c, b, a] } })).status).toBe(403);
    expect((await api.call("PUT", path, { as: world.users.outsider, body: { videoIds: [c, b, a] } })).status).toBe(404);
    const done = await api.call<{ videoIds: string[] }>("PUT", path, { as: world.users.instructor, body: { videoIds: [c, b, a] } });
    expect(done.body.data.videoIds).toEqual([c, b, a]);

    await sql`update videos set status = 'ready', duration_seconds = 42 where id in (${a}, ${c})`;
    const learner = await api.call<LessonWithVideos[]>("GET", `/courses/${world.courseId}/lessons`, { as: world.users.viewer });
    expect(learner.body.data[0]?.videos).toEqual([
      { id: c, title: "V2", status: "ready", durationSeconds: 42 },
      { id: a, title: "V0", status: "ready", durationSeconds: 42 },
    ]);
  });
});
