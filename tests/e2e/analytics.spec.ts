import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser } from "@playwright/test";
import type postgres from "postgres";
import { expect, SEED, SEED_PASSWORD, test } from "./fixtures";
import { AnalyticsPanel } from "./pages/analytics-panel";
import { ProgressPage } from "./pages/progress-page";
import { SignInPage } from "./pages/sign-in-page";

/** A watchable video row of `seconds` (the analytics need no renditions: the learner's batches go through the API). */
async function insertReadyVideo(sql: postgres.Sql, { courseId, lessonId, title, seconds }: { courseId: string; lessonId: string; title: string; seconds: number }) {
  const id = randomUUID();
  await sql`insert into videos (id, course_id, lesson_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds, position)
    values (${id}, ${courseId}, ${lessonId}, ${title}, 'v.mp4', 'local', 'lectern', ${`videos/${courseId}/${id}/source.mp4`}, 1000, 'video/mp4', 'ready', ${seconds}, 1)`;
  return id;
}

/** The seeded learner watches the first half of a 20 s video at 2×, as the player would report it: one batch through the API. */
async function learnerWatchesFirstHalf({ browser, baseURL, videoId }: { browser: Browser; baseURL: string | undefined; videoId: string }) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn(SEED.users.student.email, SEED_PASSWORD);
  await expect(page.getByRole("heading", { name: "My courses", level: 1 })).toBeVisible();
  const response = await page.request.post(`/api/v1/education/videos/${videoId}/watch`, {
    headers: { origin: new URL(page.url()).origin },
    data: { sessionId: randomUUID(), sequence: 0, position: 10, intervals: [[0, 10]], playbackRate: 2, events: [{ type: "played", at: 0 }, { type: "paused", at: 10 }] },
  });
  expect(response.status(), await response.text()).toBe(200);
  expect(((await response.json()) as { data: { watchedShare: number } }).data.watchedShare).toBe(0.5);
  await context.close();
}

test.describe("instructor analytics and course progress", () => {
  test("after a learner watched half a video: one viewer at 50 % with the retention curve and chapter marks; the Progress page lists them and downloads as CSV", async ({
    page,
    browser,
    baseURL,
    freshCourse,
    sql,
    signInAs,
    coursePage,
  }) => {
    const [basics] = freshCourse.lessons;
    const videoId = await insertReadyVideo(sql, { courseId: freshCourse.id, lessonId: basics?.id ?? "", title: "Half watched", seconds: 20 });
    await learnerWatchesFirstHalf({ browser, baseURL, videoId });

    await signInAs("instructor");
    const chapters = await page.request.put(`/api/v1/education/videos/${videoId}/chapters`, {
      headers: { origin: new URL(page.url()).origin },
      data: { chapters: [{ startSeconds: 0, title: "Opening" }, { startSeconds: 10, title: "Second half" }] },
    });
    expect(chapters.status()).toBe(200);

    await page.goto(`/courses/${freshCourse.id}/videos/${videoId}`);
    const analytics = new AnalyticsPanel(page);
    await analytics.expectLoaded();
    await expect(analytics.figure("Unique viewers")).toHaveText("1");
    await expect(analytics.figure("Views")).toHaveText("1");
    await expect(analytics.figure("Total watch time")).toHaveText("0:10");
    await expect(analytics.figure("Average share watched")).toHaveText("50%");
    await expect(analytics.figure("Completion rate")).toHaveText("0%");
    // The curve: 100 points, full over the first half, empty over the second; a mark where the second chapter starts.
    await expect(analytics.chart).toBeVisible();
    await expect(analytics.chart).toHaveAttribute("data-points", "100");
    expect(((await analytics.chartLine.getAttribute("d")) ?? "").split(" L")).toHaveLength(100);
    await expect(analytics.chapterMarks).toHaveCount(1);
    await expect(analytics.chart).toHaveAccessibleDescription(/100% of viewers watched the start, 0% the middle/);
    const table = await analytics.retentionTable();
    await expect(table.getByRole("row", { name: "0:00–0:02 100%" })).toBeVisible();
    await expect(table.getByRole("row", { name: "0:18–0:20 0%" })).toBeVisible();
    await expect(analytics.region.getByRole("table", { name: "Viewers at each chapter's start" }).getByRole("row", { name: "Second half 0:10 0%" })).toBeVisible();

    // A period without views.
    await analytics.showRange({ from: "2001-01-01", to: "2001-01-31" });
    await expect(analytics.figure("Unique viewers")).toHaveText("0");
    await expect(analytics.region.getByText("No learner has watched this video in this period")).toBeVisible();
    await expect(analytics.chart).toHaveCount(0);

    // The course page leads to the Progress page.
    await coursePage.goto(freshCourse.id);
    const progress = new ProgressPage(page);
    await progress.openFromCourse();
    const learner = progress.row(SEED.users.student.name);
    await expect(learner).toContainText("0 of 1");
    await expect(learner.getByRole("cell", { name: "50%", exact: true }).first()).toBeVisible();
    await expect(progress.columnHeader("Half watched")).toHaveAttribute("aria-sort", "none");
    await progress.sortBy("Half watched");
    await expect(progress.columnHeader("Half watched")).toHaveAttribute("aria-sort", "descending");
    await progress.sortBy("Half watched");
    await expect(progress.columnHeader("Half watched")).toHaveAttribute("aria-sort", "ascending");

    const [download] = await Promise.all([page.waitForEvent("download"), progress.downloadCsv.click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^course-progress-${freshCourse.id}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const csv = await readFile(await download.path(), "utf8");
    const [header, ...rows] = csv.trim().split("\r\n");
    expect(header).toContain("Half watched");
    expect(rows.find((row) => row.includes(SEED.users.student.email))).toMatch(/,50(\.0+)?,/);
  });

  test("a viewer sees neither the analytics panel nor the Progress page", async ({ page, freshCourse, sql, signInAs, coursePage }) => {
    const [basics] = freshCourse.lessons;
    const videoId = await insertReadyVideo(sql, { courseId: freshCourse.id, lessonId: basics?.id ?? "", title: "Not for learners", seconds: 20 });
    await signInAs("student");
    await page.goto(`/courses/${freshCourse.id}/videos/${videoId}`);
    await expect(page.getByRole("heading", { name: "Not for learners", level: 1 })).toBeVisible();
    await expect(new AnalyticsPanel(page).region).toHaveCount(0);

    await coursePage.goto(freshCourse.id);
    await expect(page.getByRole("link", { name: "Progress", exact: true })).toHaveCount(0);
    const progress = new ProgressPage(page);
    await progress.goto(freshCourse.id);
    await expect(progress.refusal).toBeVisible();
    await expect(progress.table).toHaveCount(0);
    await expect(progress.downloadCsv).toHaveCount(0);
    const csv = await page.request.get(`/api/v1/education/courses/${freshCourse.id}/progress?format=csv`);
    expect(csv.status()).toBe(403);
  });
});
