import { expect, test } from "./fixtures";

test.describe("processing and playback", () => {
  test.beforeEach(async ({ signInAs }) => {
    await signInAs("instructor");
  });

  test("an uploaded video is processed, then plays at the rendition chosen, with poster and seek previews", async ({
    page,
    coursePage,
    videoPage,
    freshCourse,
    realVideo,
  }, testInfo) => {
    test.setTimeout(180_000);
    const file = await realVideo("lesson-480p.mp4", { seconds: 8, width: 854, height: 480 });
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(file, { title: "Plays back" });
    await page.getByRole("link", { name: "Open Plays back" }).click();

    await videoPage.waitUntilPlayable("Plays back");
    await page.screenshot({ path: testInfo.outputPath("ready.png"), fullPage: true });
    const player = videoPage.player("Plays back");
    const poster = await player.getAttribute("poster");
    expect(poster).toBeTruthy();
    const posterResponse = await page.request.get(poster ?? "");
    expect(posterResponse.status()).toBe(200);
    expect(posterResponse.headers()["content-type"]).toBe("image/jpeg");

    await expect(videoPage.quality).toBeVisible();
    await expect(videoPage.quality.getByRole("option")).toHaveText([/^Auto/, "480p", "360p"]);
    await videoPage.quality.selectOption({ label: "360p" });
    await videoPage.play("Plays back");
    await expect.poll(() => videoPage.currentTime("Plays back"), { timeout: 30_000 }).toBeGreaterThan(1);
    await expect.poll(() => videoPage.playingHeight()).toBe("360");

    // Hovering the timeline shows the storyboard tile of that moment.
    const box = await videoPage.seek.boundingBox();
    if (!box) throw new Error("the seek bar has no box");
    await videoPage.seek.hover({ position: { x: box.width * 0.75, y: box.height / 2 } });
    const thumb = page.getByTestId("seek-thumb");
    await expect(thumb).toBeVisible();
    expect(await thumb.evaluate((element) => getComputedStyle(element).backgroundImage)).toContain("storyboard.jpg");
    await page.screenshot({ path: testInfo.outputPath("playing.png"), fullPage: true });
  });

  test("a ready video being reprocessed keeps playing; staff see its progress, then why it failed", async ({
    page,
    coursePage,
    videoPage,
    freshCourse,
    realVideo,
    sql,
  }) => {
    test.setTimeout(180_000);
    const file = await realVideo("lesson-reprocess.mp4", { seconds: 4, width: 640, height: 360 });
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(file, { title: "Reprocessed" });
    await page.getByRole("link", { name: "Open Reprocessed" }).click();
    await videoPage.waitUntilPlayable("Reprocessed");

    // The states a reprocess run goes through, as the worker writes them (no job queued: nothing else changes them).
    const where = sql`course_id = ${freshCourse.id} and title = 'Reprocessed'`;
    await sql`update videos set processing_stage = 'transcoding', processing_progress_percent = 40 where ${where}`;
    await page.reload();
    await expect(page.getByRole("progressbar", { name: "Reprocessing progress" })).toBeVisible();
    await expect(page.getByLabel("Reprocessing", { exact: true })).toContainText("Encoding renditions · 40%");
    await expect(videoPage.status).toHaveText("Ready");
    await expect(videoPage.player("Reprocessed")).toBeVisible();

    // The page polls while the run lasts, and shows its end without a reload.
    await sql`update videos set processing_stage = null, processing_error = 'The file is not a video we can read.' where ${where}`;
    const failure = page.getByRole("alert").filter({ hasText: "Reprocessing failed." });
    await expect(failure).toContainText("The file is not a video we can read. The previous renditions still play.", { timeout: 10_000 });
    await expect(failure.getByRole("button", { name: "Retry reprocessing" })).toBeVisible();
    await expect(videoPage.player("Reprocessed")).toBeVisible();
    await videoPage.play("Reprocessed");
    await expect.poll(() => videoPage.currentTime("Reprocessed"), { timeout: 30_000 }).toBeGreaterThan(0.5);
  });

  test("a file that is not a video fails processing with a reason and can be retried", async ({ page, coursePage, freshCourse, videoFile, sql }) => {
    test.setTimeout(120_000);
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(await videoFile("fake.mp4", 64 * 1024), { title: "Not really a video" });
    await page.getByRole("link", { name: "Open Not really a video" }).click();
    const failure = page.getByRole("alert").filter({ hasText: "Processing failed." });
    await expect(failure).toContainText("not a video we can read", { timeout: 60_000 });
    const completedAt = async () => {
      const [row] = await sql<{ status: string; at: Date | null }[]>`
        select status, processing_completed_at as at from videos where course_id = ${freshCourse.id} and title = 'Not really a video'`;
      return row;
    };
    const firstFailure = (await completedAt())?.at?.getTime() ?? 0;
    await failure.getByRole("button", { name: "Retry processing" }).click();
    // Processed again (and failed again, for the same reason), not merely still showing the old failure.
    await expect.poll(async () => {
      const row = await completedAt();
      return row?.status === "failed" && (row.at?.getTime() ?? 0) > firstFailure;
    }, { timeout: 60_000 }).toBe(true);
    await expect(failure).toContainText("not a video we can read");
  });
});
