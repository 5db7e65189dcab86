import type { Browser, Page } from "@playwright/test";
import { CoursePage } from "./pages/course-page";
import { CoursesPage } from "./pages/courses-page";
import { SignInPage } from "./pages/sign-in-page";
import { VideoPage } from "./pages/video-page";
import { expect, SEED, SEED_PASSWORD, test } from "./fixtures";
import { videoAnalyticsSchema, videoProgressSchema } from "@/lib/watch/schemas";

const TITLE = "Resumable lecture";
const SECONDS = 12;

/** A browser of the student's own (a new context: no cookies, no storage), signed in. */
async function studentBrowser(browser: Browser, baseURL: string | undefined): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn(SEED.users.student.email, SEED_PASSWORD);
  await new CoursesPage(page).expectLoaded();
  return { page, close: () => context.close() };
}

/** Nothing focused: the page's keyboard shortcuts apply. */
const blur = (page: Page) => page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));

async function progressOf(page: Page, videoId: string) {
  const response = await page.request.get(`/api/v1/education/videos/${videoId}/progress`);
  expect(response.status()).toBe(200);
  return videoProgressSchema.parse(((await response.json()) as { data: unknown }).data);
}

test.describe("watching: resume, progress, analytics", () => {
  test.beforeEach(async ({ signInAs }) => {
    await signInAs("instructor");
  });

  test("a learner watches half a video at 2×, leaves, resumes at the same second in a new browser; the course shows the progress; the analytics one viewer at ~50 %", async ({
    page,
    browser,
    baseURL,
    readyVideo,
    freshCourse,
  }) => {
    test.setTimeout(240_000);
    const { videoId, url } = await readyVideo({ title: TITLE, seconds: SECONDS, lesson: "Basics" });

    const first = await studentBrowser(browser, baseURL);
    const video = new VideoPage(first.page);
    await first.page.goto(url);
    await expect(video.player(TITLE)).toBeVisible();
    await video.speed.selectOption({ label: "2×" });
    // The speed is remembered in this browser.
    await first.page.reload();
    await expect(video.speed).toHaveValue("2");
    await expect.poll(() => video.playbackRate(TITLE)).toBe(2);

    const saved = first.page.waitForResponse((response) => response.url().endsWith(`/videos/${videoId}/watch`) && response.request().method() === "POST");
    const stoppedAt = await video.playUntil(TITLE, SECONDS / 2);
    expect((await saved).status()).toBe(200);
    expect(await video.playbackRate(TITLE)).toBe(2);
    await first.close();

    // Another device: the position comes from the server.
    const second = await studentBrowser(browser, baseURL);
    const again = new VideoPage(second.page);
    await second.page.goto(url);
    await expect(again.resumeNotice).toContainText(`Resumed at 0:0${Math.round(stoppedAt)}`);
    await expect(again.startOver).toBeVisible();
    // The player starts there (once it has loaded) and stays paused.
    await expect.poll(() => again.currentTime(TITLE)).toBeGreaterThanOrEqual(stoppedAt - 1);
    expect(await again.currentTime(TITLE)).toBeLessThanOrEqual(stoppedAt + 1);
    expect(await again.paused(TITLE)).toBe(true);

    const progress = await progressOf(second.page, videoId);
    expect(progress.watchedShare).toBeGreaterThan(0.4);
    expect(progress.watchedShare).toBeLessThan(0.65);
    expect(progress.completed).toBe(false);

    const course = new CoursePage(second.page);
    await course.goto(freshCourse.id);
    const percent = Math.floor(progress.watchedShare * 100);
    await expect(course.watchProgress(TITLE)).toHaveAccessibleName(`${percent} % watched`);
    await expect(course.watchProgress(TITLE)).toHaveAttribute("aria-valuenow", String(percent));
    await expect(course.continueWatching.getByRole("link", { name: new RegExp(`^${TITLE} · from 0:0${Math.round(stoppedAt)}$`) })).toBeVisible();
    await course.continueWatching.getByRole("link").click();
    await expect(again.resumeNotice).toBeVisible();
    await second.close();

    // The instructor's analytics: one learner, about half of the video (2× did not count double).
    const response = await page.request.get(`/api/v1/education/videos/${videoId}/analytics`);
    expect(response.status()).toBe(200);
    const analytics = videoAnalyticsSchema.parse(((await response.json()) as { data: unknown }).data);
    expect(analytics.uniqueViewers).toBe(1);
    expect(analytics.views).toBe(1);
    expect(analytics.averageShareWatched).toBeGreaterThan(0.4);
    expect(analytics.averageShareWatched).toBeLessThan(0.65);
    expect(analytics.completionRate).toBe(0);
    expect(analytics.retention[10]).toBe(1);
    expect(analytics.retention[90]).toBe(0);
  });

  test("leaving the page mid-play saves where the learner was (a beacon), and the keyboard drives the player", async ({ browser, baseURL, readyVideo }) => {
    test.setTimeout(240_000);
    const { videoId, url } = await readyVideo({ title: TITLE, seconds: SECONDS });

    const student = await studentBrowser(browser, baseURL);
    const video = new VideoPage(student.page);
    await student.page.goto(url);
    await expect(video.player(TITLE)).toBeVisible();

    // The help: the button and `?` open it, Escape closes it and focus goes back to the button.
    await video.shortcutsButton.click();
    await expect(video.shortcutsHelp).toBeVisible();
    await expect(video.shortcutsHelp.getByRole("term")).toHaveCount(9);
    await student.page.keyboard.press("Escape");
    await expect(video.shortcutsHelp).toBeHidden();
    await expect(video.shortcutsButton).toBeFocused();
    await expect(video.shortcutsButton).toHaveAttribute("aria-expanded", "false");
    await blur(student.page);
    await student.page.keyboard.press("?");
    await expect(video.shortcutsHelp).toBeVisible();
    await student.page.keyboard.press("Escape");

    // m mutes (autoplay rules want it before k plays), k plays, space pauses, l seeks forward.
    await blur(student.page);
    await student.page.keyboard.press("m");
    await expect.poll(() => video.player(TITLE).evaluate((element: HTMLVideoElement) => element.muted)).toBe(true);
    await student.page.keyboard.press("k");
    await expect.poll(() => video.currentTime(TITLE), { timeout: 20_000 }).toBeGreaterThan(1);
    await student.page.keyboard.press(" ");
    await expect.poll(() => video.paused(TITLE)).toBe(true);
    const before = await video.currentTime(TITLE);
    await student.page.keyboard.press("ArrowRight");
    await expect.poll(() => video.currentTime(TITLE)).toBeGreaterThanOrEqual(before + 4.9);
    await student.page.keyboard.press("j");
    await expect.poll(() => video.currentTime(TITLE)).toBeLessThan(before + 0.1);

    // Play again and leave without pausing: nothing else would send before the 10 s tick.
    await student.page.keyboard.press("k");
    await expect.poll(() => video.currentTime(TITLE), { timeout: 20_000 }).toBeGreaterThan(3);
    const leftAt = await video.currentTime(TITLE);
    await student.page.goto("/courses");
    await expect.poll(async () => (await progressOf(student.page, videoId)).position ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(leftAt);
    expect((await progressOf(student.page, videoId)).watchedSeconds).toBeGreaterThan(2.5);
    await student.close();
  });
});
