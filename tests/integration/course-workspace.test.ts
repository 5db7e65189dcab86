import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createCourse, getMyCourse, listMyCourses, setCourseArchived, updateCourseSettings } from "@/lib/courses/courses";
import { createLesson, deleteLesson, listLessons, renameLesson, reorderLessons, reorderLessonVideos } from "@/lib/courses/lessons";
import { createCourseSchema } from "@/lib/courses/schemas";
import { env } from "@/lib/env";
import { reprocessVideo } from "@/lib/videos/processing-state";
import { initUpload } from "@/lib/videos/uploads";
import { deleteVideo, updateVideoMetadata } from "@/lib/videos/videos";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();
afterAll(close);

type Person = { id: string; email: string };
type Team = { owner: Person; instructor: Person; editor: Person; viewer: Person; stranger: Person };

async function person(role: string): Promise<Person> {
  const id = randomUUID();
  const email = `${role}-${id.slice(0, 8)}@example.com`;
  await sql`insert into users (id, email, name) values (${id}, ${email}, ${role})`;
  return { id, email };
}

/** A course created through the domain by its owner, with one member per other role and a stranger. */
async function team(): Promise<{ courseId: string } & Team> {
  const people = {
    owner: await person("owner"),
    instructor: await person("instructor"),
    editor: await person("editor"),
    viewer: await person("viewer"),
    stranger: await person("stranger"),
  };
  const course = await createCourse({ actor: people.owner, input: { title: "Workspace" } });
  for (const role of ["instructor", "editor", "viewer"] as const) {
    await sql`insert into course_members (course_id, user_id, role) values (${course.id}, ${people[role].id}, ${role})`;
  }
  return { courseId: course.id, ...people };
}

const upload = (actor: Person, courseId: string, lessonId: string | undefined, title: string) =>
  initUpload({ actor, input: { courseId, lessonId, filename: `${title}.mp4`, fileSize: 1000, contentType: "video/mp4", metadata: { title } } });

const positions = async (lessonId: string) =>
  (await sql<{ id: string; position: number }[]>`select id, position from videos where lesson_id = ${lessonId} and deleted_at is null order by position, created_at, id`).map(
    (row) => [row.id, row.position],
  );

describe("courses", () => {
  it("makes the creator the owner, in the same transaction as the course", async () => {
    const creator = await person("creator");
    const course = await createCourse({ actor: creator, input: createCourseSchema.parse({ title: "  Statistics  ", description: "Week by week" }) });
    expect(course).toEqual({ id: expect.any(String), title: "Statistics", description: "Week by week", role: "owner", archivedAt: null, version: 1, lessons: [] });
    const members = await sql`select user_id, role from course_members where course_id = ${course.id}`;
    expect(members.map((row) => ({ ...row }))).toEqual([{ user_id: creator.id, role: "owner" }]);
    expect((await listMyCourses({ userId: creator.id })).map((row) => row.id)).toEqual([course.id]);
  });

  it("with COURSE_CREATORS=admins lets only ADMIN_EMAILS create courses", async () => {
    const admin = await person("admin");
    const someone = await person("someone");
    const saved = { creators: env.COURSE_CREATORS, admins: env.ADMIN_EMAILS };
    env.COURSE_CREATORS = "admins";
    env.ADMIN_EMAILS = [admin.email];
    try {
      await expect(createCourse({ actor: someone, input: { title: "Nope" } })).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/administrators/) });
      expect((await createCourse({ actor: admin, input: { title: "Yes" } })).role).toBe("owner");
      expect(await listMyCourses({ userId: someone.id })).toEqual([]);
    } finally {
      env.COURSE_CREATORS = saved.creators;
      env.ADMIN_EMAILS = saved.admins;
    }
  });

  it("edits settings with the version read; a stale version is a 409 with the current course", async () => {
    const { courseId, instructor, editor, stranger } = await team();
    const edited = await updateCourseSettings({ actor: instructor, courseId, input: { title: "Renamed", description: "New", version: 1 } });
    expect(edited).toMatchObject({ title: "Renamed", description: "New", version: 2 });
    await expect(updateCourseSettings({ actor: instructor, courseId, input: { title: "Late", version: 1 } })).rejects.toMatchObject({
      status: 409,
      code: "conflict",
      details: { current: { title: "Renamed", version: 2 } },
    });
    await expect(updateCourseSettings({ actor: editor, courseId, input: { title: "x", version: 2 } })).rejects.toMatchObject({ status: 403 });
    await expect(updateCourseSettings({ actor: stranger, courseId, input: { title: "x", version: 2 } })).rejects.toMatchObject({ status: 404 });
  });

  it("archives: hidden from My courses unless asked, every write refused with 409 course_archived, until restored", async () => {
    const { courseId, owner, instructor, editor } = await team();
    const lesson = await createLesson({ actor: owner, courseId, title: "One" });
    const video = await upload(owner, courseId, lesson.id, "before");
    await expect(setCourseArchived({ actor: instructor, courseId, archived: true })).rejects.toMatchObject({ status: 403 });
    const archived = await setCourseArchived({ actor: owner, courseId, archived: true });
    expect(archived.archivedAt).toEqual(expect.any(String));

    expect((await listMyCourses({ userId: owner.id })).map((row) => row.id)).not.toContain(courseId);
    expect((await listMyCourses({ userId: owner.id, includeArchived: true })).map((row) => row.id)).toContain(courseId);
    expect((await getMyCourse({ userId: editor.id, courseId })).archivedAt).toEqual(archived.archivedAt);

    const refusals = [
      updateCourseSettings({ actor: owner, courseId, input: { title: "x", version: archived.version } }),
      setCourseArchived({ actor: owner, courseId, archived: true }),
      createLesson({ actor: owner, courseId, title: "Two" }),
      renameLesson({ actor: instructor, lessonId: lesson.id, title: "x" }),
      deleteLesson({ actor: owner, lessonId: lesson.id }),
      reorderLessons({ actor: owner, courseId, lessonIds: [lesson.id] }),
      reorderLessonVideos({ actor: owner, lessonId: lesson.id, videoIds: [video.videoId] }),
      upload(owner, courseId, lesson.id, "after"),
      updateVideoMetadata({ actor: editor, videoId: video.videoId, input: { title: "x", version: 1 } }),
      deleteVideo({ actor: owner, videoId: video.videoId }),
      reprocessVideo({ actor: owner, videoId: video.videoId }),
    ];
    for (const refusal of await Promise.allSettled(refusals)) {
      expect(refusal).toMatchObject({ status: "rejected", reason: { status: 409, code: "course_archived" } });
    }
    // Reading still works.
    expect((await listLessons({ actor: editor, courseId })).map((row) => row.title)).toEqual(["One"]);

    await expect(setCourseArchived({ actor: instructor, courseId, archived: false })).rejects.toMatchObject({ status: 403 });
    expect((await setCourseArchived({ actor: owner, courseId, archived: false })).archivedAt).toBeNull();
    expect((await createLesson({ actor: instructor, courseId, title: "Two" })).position).toBe(2);
  });
});

describe("lessons", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeEach(async () => {
    t = await team();
  });

  it("adds lessons at the end, renames them, and refuses editors (403), viewers (403) and strangers (404)", async () => {
    const one = await createLesson({ actor: t.owner, courseId: t.courseId, title: "One" });
    const two = await createLesson({ actor: t.instructor, courseId: t.courseId, title: "Two" });
    expect([one.position, two.position]).toEqual([1, 2]);
    expect((await renameLesson({ actor: t.instructor, lessonId: one.id, title: "First" })).title).toBe("First");
    for (const actor of [t.editor, t.viewer]) {
      await expect(createLesson({ actor, courseId: t.courseId, title: "x" })).rejects.toMatchObject({ status: 403 });
      await expect(renameLesson({ actor, lessonId: one.id, title: "x" })).rejects.toMatchObject({ status: 403 });
      await expect(reorderLessons({ actor, courseId: t.courseId, lessonIds: [two.id, one.id] })).rejects.toMatchObject({ status: 403 });
    }
    await expect(createLesson({ actor: t.stranger, courseId: t.courseId, title: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(renameLesson({ actor: t.stranger, lessonId: one.id, title: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(deleteLesson({ actor: t.stranger, lessonId: one.id })).rejects.toMatchObject({ status: 404 });
    await expect(listLessons({ actor: t.stranger, courseId: t.courseId })).rejects.toMatchObject({ status: 404 });
  });

  it("reorders with exactly the current set; anything else is a 400 naming what is missing, extra or duplicated", async () => {
    const [a, b, c] = [
      await createLesson({ actor: t.owner, courseId: t.courseId, title: "A" }),
      await createLesson({ actor: t.owner, courseId: t.courseId, title: "B" }),
      await createLesson({ actor: t.owner, courseId: t.courseId, title: "C" }),
    ];
    const reordered = await reorderLessons({ actor: t.owner, courseId: t.courseId, lessonIds: [c.id, a.id, b.id] });
    expect(reordered.map((lesson) => [lesson.title, lesson.position])).toEqual([["C", 1], ["A", 2], ["B", 3]]);
    const stranger = randomUUID();
    await expect(reorderLessons({ actor: t.owner, courseId: t.courseId, lessonIds: [a.id, a.id, stranger] })).rejects.toMatchObject({
      status: 400,
      code: "order_mismatch",
      details: { missing: [c.id, b.id], extra: [stranger], duplicated: [a.id] },
    });
    expect((await listLessons({ actor: t.viewer, courseId: t.courseId })).map((lesson) => lesson.title)).toEqual(["C", "A", "B"]);
  });

  it("survives concurrent reorders: each applies whole, none trips the unique (course, position) index", async () => {
    const lessons = [];
    for (const title of ["A", "B", "C", "D", "E"]) lessons.push(await createLesson({ actor: t.owner, courseId: t.courseId, title }));
    const ids = lessons.map((lesson) => lesson.id);
    const orders = Array.from({ length: 8 }, (_, index) => [...ids.slice(index % 5), ...ids.slice(0, index % 5)].reverse());
    const results = await Promise.allSettled(orders.map((lessonIds) => reorderLessons({ actor: t.owner, courseId: t.courseId, lessonIds })));
    expect(results.map((result) => result.status)).toEqual(orders.map(() => "fulfilled"));
    const final = await sql<{ id: string; position: number }[]>`select id, position from lessons where course_id = ${t.courseId} order by position`;
    expect(final.map((row) => row.position)).toEqual([1, 2, 3, 4, 5]);
    expect(orders.map((order) => order.join())).toContain(final.map((row) => row.id).join());
  });

  it("deleting a lesson keeps its videos, unassigned, and closes the gap in the lesson order", async () => {
    const one = await createLesson({ actor: t.owner, courseId: t.courseId, title: "One" });
    const two = await createLesson({ actor: t.owner, courseId: t.courseId, title: "Two" });
    const three = await createLesson({ actor: t.owner, courseId: t.courseId, title: "Three" });
    const video = await upload(t.owner, t.courseId, two.id, "kept");
    await expect(deleteLesson({ actor: t.editor, lessonId: two.id })).rejects.toMatchObject({ status: 403 });
    await deleteLesson({ actor: t.instructor, lessonId: two.id });
    const [row] = await sql`select lesson_id, position, deleted_at from videos where id = ${video.videoId}`;
    expect({ ...row }).toEqual({ lesson_id: null, position: 0, deleted_at: null });
    const rest = await sql`select id, position from lessons where course_id = ${t.courseId} order by position`;
    expect(rest.map((lesson) => [lesson.id, lesson.position])).toEqual([[one.id, 1], [three.id, 2]]);
    expect((await createLesson({ actor: t.owner, courseId: t.courseId, title: "Four" })).position).toBe(3);
  });
});

describe("videos in a lesson", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeEach(async () => {
    t = await team();
  });

  it("gives concurrent uploads into a lesson distinct positions after the last", async () => {
    const lesson = await createLesson({ actor: t.owner, courseId: t.courseId, title: "One" });
    const first = await upload(t.owner, t.courseId, lesson.id, "first");
    const burst = await Promise.all(Array.from({ length: 6 }, (_, index) => upload(index % 2 ? t.owner : t.instructor, t.courseId, lesson.id, `v${index}`)));
    const placed = await positions(lesson.id);
    expect(placed[0]).toEqual([first.videoId, 1]);
    expect(placed.map(([, position]) => position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(placed.map(([id]) => id))).toEqual(new Set([first.videoId, ...burst.map((video) => video.videoId)]));
  });

  it("moves a video into a lesson last; out of one to unassigned", async () => {
    const one = await createLesson({ actor: t.owner, courseId: t.courseId, title: "One" });
    const two = await createLesson({ actor: t.owner, courseId: t.courseId, title: "Two" });
    const a = await upload(t.owner, t.courseId, one.id, "a");
    const b = await upload(t.owner, t.courseId, one.id, "b");
    const loose = await upload(t.owner, t.courseId, undefined, "loose");
    await updateVideoMetadata({ actor: t.editor, videoId: loose.videoId, input: { lessonId: one.id, version: 1 } });
    expect(await positions(one.id)).toEqual([[a.videoId, 1], [b.videoId, 2], [loose.videoId, 3]]);
    await updateVideoMetadata({ actor: t.editor, videoId: a.videoId, input: { lessonId: two.id, version: 1 } });
    await updateVideoMetadata({ actor: t.editor, videoId: b.videoId, input: { lessonId: null, version: 1 } });
    expect(await positions(two.id)).toEqual([[a.videoId, 1]]);
    const [row] = await sql`select lesson_id, position from videos where id = ${b.videoId}`;
    expect({ ...row }).toEqual({ lesson_id: null, position: 0 });
  });

  it("reorders a lesson's videos with exactly its live videos; viewers see ready ones, in order, with durations", async () => {
    const lesson = await createLesson({ actor: t.owner, courseId: t.courseId, title: "One" });
    const [a, b, c] = [await upload(t.owner, t.courseId, lesson.id, "a"), await upload(t.owner, t.courseId, lesson.id, "b"), await upload(t.owner, t.courseId, lesson.id, "c")];
    await sql`update videos set status = 'ready', duration_seconds = 61.5 where id in (${a.videoId}, ${c.videoId})`;

    await expect(reorderLessonVideos({ actor: t.owner, lessonId: lesson.id, videoIds: [c.videoId, a.videoId] })).rejects.toMatchObject({
      status: 400,
      code: "order_mismatch",
      details: { missing: [b.videoId], extra: [], duplicated: [] },
    });
    await expect(reorderLessonVideos({ actor: t.editor, lessonId: lesson.id, videoIds: [c.videoId, b.videoId, a.videoId] })).rejects.toMatchObject({ status: 403 });
    await expect(reorderLessonVideos({ actor: t.stranger, lessonId: lesson.id, videoIds: [] })).rejects.toMatchObject({ status: 404 });
    expect(await reorderLessonVideos({ actor: t.instructor, lessonId: lesson.id, videoIds: [c.videoId, b.videoId, a.videoId] })).toEqual([c.videoId, b.videoId, a.videoId]);

    const [learner] = await listLessons({ actor: t.viewer, courseId: t.courseId });
    expect(learner?.videos).toEqual([
      { id: c.videoId, title: "c", status: "ready", durationSeconds: 61.5 },
      { id: a.videoId, title: "a", status: "ready", durationSeconds: 61.5 },
    ]);
    const [staff] = await listLessons({ actor: t.editor, courseId: t.courseId });
    expect(staff?.videos.map((video) => video.id)).toEqual([c.videoId, b.videoId, a.videoId]);

    // A deleted video leaves the set the order must name.
    await deleteVideo({ actor: t.owner, videoId: b.videoId });
    expect(await reorderLessonVideos({ actor: t.owner, lessonId: lesson.id, videoIds: [a.videoId, c.videoId] })).toEqual([a.videoId, c.videoId]);
  });
});
