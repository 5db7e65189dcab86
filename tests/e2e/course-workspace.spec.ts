import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { expect, test } from "./fixtures";

/** A video row as processing leaves it (no upload needed to show a course's outline). */
async function insertVideo(sql: postgres.Sql, video: { courseId: string; lessonId: string; title: string; status: string; position: number; seconds?: number }) {
  const id = randomUUID();
  await sql`insert into videos (id, course_id, lesson_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, position, duration_seconds)
    values (${id}, ${video.courseId}, ${video.lessonId}, ${video.title}, 'v.mp4', 'local', 'lectern', ${`videos/${video.courseId}/${id}/source.mp4`}, 1000, 'video/mp4',
      ${video.status}, ${video.position}, ${video.seconds ?? null})`;
  return id;
}

test.describe("course workspace", () => {
  test("an owner creates a course, adds two lessons, and reorders them by keyboard and by drag", async ({ page, signInAs, coursesPage, lessonsPanel }) => {
    await signInAs("instructor");
    await coursesPage.goto();
    await page.getByRole("link", { name: "New course" }).click();
    const form = page.getByRole("form", { name: "New course" });
    await form.getByRole("button", { name: "Create course" }).click();
    await expect(form.getByText("Title is required.")).toBeVisible();
    const title = `Workshop ${randomUUID().slice(0, 6)}`;
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Description (optional)").fill("Hands-on sessions");
    await form.getByRole("button", { name: "Create course" }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/\/courses\/[0-9a-f-]{36}$/);
    await expect(page.getByLabel("Your role: owner")).toBeVisible();

    await lessonsPanel.addLesson("Intro");
    await lessonsPanel.addLesson("Deep dive");
    expect(await lessonsPanel.lessonTitles()).toEqual(["Intro", "Deep dive"]);

    await lessonsPanel.moveByKeyboard("lesson", "Deep dive", -1);
    await expect.poll(() => lessonsPanel.lessonTitles()).toEqual(["Deep dive", "Intro"]);
    await expect(lessonsPanel.saved).toBeVisible();
    await page.reload();
    await expect.poll(() => lessonsPanel.lessonTitles()).toEqual(["Deep dive", "Intro"]);

    await lessonsPanel.drag("lesson", "Intro", "Deep dive");
    await expect.poll(() => lessonsPanel.lessonTitles()).toEqual(["Intro", "Deep dive"]);
    await expect(lessonsPanel.saved).toBeVisible();
    await page.reload();
    await expect.poll(() => lessonsPanel.lessonTitles()).toEqual(["Intro", "Deep dive"]);

    // Renaming and the course's settings save in place, like the videos' inline edits.
    await page.getByRole("button", { name: "Edit lesson name Intro: Intro" }).click();
    await page.getByRole("textbox", { name: "Lesson name Intro" }).fill("Welcome");
    await page.getByRole("textbox", { name: "Lesson name Intro" }).press("Enter");
    await expect.poll(() => lessonsPanel.lessonTitles()).toEqual(["Welcome", "Deep dive"]);
    await expect(lessonsPanel.saved).toBeVisible();
    // The list drops the lesson at once; leave the page only once the server has it.
    const deleted = page.waitForResponse((response) => response.request().method() === "DELETE" && /\/lessons\/[0-9a-f-]{36}$/.test(response.url()));
    await page.getByRole("button", { name: "Delete lesson Deep dive" }).click();
    await expect.poll(() => lessonsPanel.lessonTitles()).toEqual(["Welcome"]);
    expect((await deleted).status()).toBe(204);
    await expect(lessonsPanel.saved).toBeVisible();

    await coursesPage.goto();
    await expect(coursesPage.course(title)).toContainText("1 lesson");
  });

  test("archiving makes the course read-only and hides it from My courses until restored", async ({ page, signInAs, coursesPage, coursePage, freshCourse, sql }) => {
    const [basics] = freshCourse.lessons as [{ id: string; title: string }];
    const videoId = await insertVideo(sql, { courseId: freshCourse.id, lessonId: basics.id, title: "Old lecture", status: "failed", position: 1 });
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await expect(coursePage.video("Old lecture").getByRole("button", { name: "Delete" })).toBeVisible();
    await page.getByRole("button", { name: "Archive course" }).click();
    await expect(page.getByRole("status").filter({ hasText: "This course is archived" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Upload a video" })).toHaveCount(0);
    await expect(page.getByLabel("New lesson name")).toHaveCount(0);
    // The library and the video page offer no changes either (the API would refuse them with 409).
    await expect(coursePage.video("Old lecture")).toBeVisible();
    await expect(coursePage.video("Old lecture").getByRole("button", { name: "Delete" })).toHaveCount(0);
    await page.goto(`/courses/${freshCourse.id}/videos/${videoId}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Old lecture");
    await expect(page.getByRole("button", { name: "Delete video" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Replace video" })).toHaveCount(0);
    await coursesPage.goto();
    await expect(coursesPage.course(freshCourse.title)).toHaveCount(0);
    await page.getByRole("link", { name: "Show archived courses" }).click();
    await expect(coursesPage.course(freshCourse.title)).toContainText("Archived");
    await coursesPage.open(freshCourse.title);
    await page.getByRole("button", { name: "Restore course" }).click();
    await expect(page.getByLabel("New lesson name")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Upload a video" })).toBeVisible();
  });

  test("staff reorder a lesson's videos by keyboard; a viewer sees lessons in order with only ready videos, in order, with durations", async ({
    page,
    signInAs,
    coursePage,
    lessonsPanel,
    freshCourse,
    sql,
  }) => {
    const [basics, practice] = freshCourse.lessons as [{ id: string; title: string }, { id: string; title: string }];
    await insertVideo(sql, { courseId: freshCourse.id, lessonId: basics.id, title: "Charts", status: "ready", position: 1, seconds: 75 });
    await insertVideo(sql, { courseId: freshCourse.id, lessonId: basics.id, title: "Still encoding", status: "processing", position: 2 });
    await insertVideo(sql, { courseId: freshCourse.id, lessonId: basics.id, title: "Orders", status: "ready", position: 3, seconds: 3725 });
    await insertVideo(sql, { courseId: freshCourse.id, lessonId: practice.id, title: "Drills", status: "ready", position: 1, seconds: 30 });

    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await expect(lessonsPanel.videoTitles("Basics")).toHaveText([/Charts/, /Still encoding/, /Orders/]);
    await lessonsPanel.moveByKeyboard("video", "Orders", -2);
    await expect(lessonsPanel.videoTitles("Basics")).toHaveText([/Orders/, /Charts/, /Still encoding/]);
    await expect(lessonsPanel.saved).toBeVisible();
    await lessonsPanel.moveByKeyboard("lesson", "Practice", -1);
    await expect.poll(() => lessonsPanel.lessonTitles()).toEqual(["Practice", "Basics"]);
    await expect(lessonsPanel.saved).toBeVisible();
    await page.context().clearCookies();

    await signInAs("student");
    await coursePage.goto(freshCourse.id);
    await expect(page.getByLabel("New lesson name")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Move / })).toHaveCount(0);
    await expect(page.getByRole("list", { name: "Lessons", exact: true }).getByRole("heading", { level: 3 })).toHaveText(["Practice", "Basics"]);
    await expect(lessonsPanel.videoTitles("Basics")).toHaveText(["Orders · 1:02:05", "Charts · 1:15"]);
    await expect(lessonsPanel.videoTitles("Practice")).toHaveText(["Drills · 0:30"]);
    await expect(page.getByText("Still encoding")).toHaveCount(0);
  });
});
