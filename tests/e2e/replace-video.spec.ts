import { expect, SEED, SEED_PASSWORD, test } from "./fixtures";
import { CoursesPage } from "./pages/courses-page";
import { SignInPage } from "./pages/sign-in-page";
import { VideoPage } from "./pages/video-page";

test.describe("replacing a video", () => {
  test("“Replace video”: a viewer keeps playing the old version until the new one is ready, then gets it; title and lesson stay", async ({
    browser,
    baseURL,
    page,
    signInAs,
    coursePage,
    videoPage,
    freshCourse,
    realVideo,
  }, testInfo) => {
    test.setTimeout(300_000);
    await signInAs("instructor");
    const original = await realVideo("lecture.mp4", { seconds: 24, width: 854, height: 480 });
    const rerecorded = await realVideo("lecture-take-2.mp4", { seconds: 8, width: 1280, height: 720 });
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(original, { title: "Lecture one", lesson: "Practice" });
    await page.getByRole("link", { name: "Open Lecture one" }).click();
    await videoPage.waitUntilPlayable("Lecture one");
    await expect(videoPage.quality.getByRole("option")).toHaveText([/^Auto/, "480p", "360p"]);

    // A learner watches it in a browser of their own.
    const viewerContext = await browser.newContext({ baseURL });
    const viewerPage = await viewerContext.newPage();
    const viewer = new VideoPage(viewerPage);
    const signIn = new SignInPage(viewerPage);
    await signIn.goto();
    await signIn.signIn(SEED.users.student.email, SEED_PASSWORD);
    await new CoursesPage(viewerPage).expectLoaded();
    await viewerPage.goto(page.url());
    await viewer.waitUntilPlayable("Lecture one");
    await viewer.play("Lecture one");
    await expect.poll(() => viewer.currentTime("Lecture one"), { timeout: 30_000 }).toBeGreaterThan(0.5);
    await expect(viewerPage.getByRole("button", { name: "Replace video" })).toHaveCount(0);

    await videoPage.replaceWith(rerecorded);
    // Uploaded, then processed: the staff page says so, and the learner's player goes on with the old version.
    await expect(page.getByText("Processing the new version (“lecture-take-2.mp4”)")).toBeVisible({ timeout: 60_000 });
    await page.screenshot({ path: testInfo.outputPath("1-processing.png"), fullPage: true });
    await expect(viewer.quality.getByRole("option")).toHaveText([/^Auto/, "480p", "360p"]);
    const before = await viewer.currentTime("Lecture one");
    await expect.poll(() => viewer.currentTime("Lecture one"), { timeout: 10_000 }).toBeGreaterThan(before + 0.5);
    await expect(viewer.status).toHaveText("Ready");

    // Once the new renditions are published both pages switch to them, without a reload.
    await expect(viewer.quality.getByRole("option")).toHaveText([/^Auto/, "720p", "480p", "360p"], { timeout: 120_000 });
    await expect(videoPage.quality.getByRole("option")).toHaveText([/^Auto/, "720p", "480p", "360p"], { timeout: 30_000 });
    await expect(page.getByText("Processing the new version")).toHaveCount(0);
    await expect(page.locator(".meta")).toContainText("lecture-take-2.mp4");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Lecture one");
    await expect(page.locator(".meta")).toContainText("Practice");
    await viewer.play("Lecture one");
    await expect.poll(() => viewer.currentTime("Lecture one"), { timeout: 30_000 }).toBeGreaterThan(0.5);
    await page.screenshot({ path: testInfo.outputPath("2-replaced.png"), fullPage: true });
    await viewerContext.close();
  });
});
