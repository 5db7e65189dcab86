import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";

const MiB = 1024 * 1024;

test.describe("upload wizard", () => {
  test.beforeEach(async ({ signInAs }) => {
    await signInAs("instructor");
  });

  test("drag and drop a one-part video; it is listed without a reload", async ({ page, coursePage, freshCourse, videoFile }, testInfo) => {
    await coursePage.goto(freshCourse.id);
    await expect(page.getByText("No videos yet.")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("1-file-step.png"), fullPage: true });

    const file = await videoFile("dropped.mp4", 300 * 1024);
    const buffer = (await readFile(file)).toString("base64");
    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], "dropped.mp4", { type: "video/mp4" }));
      return transfer;
    }, buffer);
    await page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer });
    await expect(page.getByRole("figure")).toContainText("dropped.mp4");
    await page.screenshot({ path: testInfo.outputPath("2-preview.png"), fullPage: true });
    await page.getByRole("button", { name: "Next", exact: true }).click();

    await coursePage.fillDetails({ title: "Dropped in", tags: "drag, drop", difficulty: "beginner", lesson: "Practice" });
    await page.screenshot({ path: testInfo.outputPath("3-details.png"), fullPage: true });
    await coursePage.startUpload();
    await expect(coursePage.uploadedMessage).toBeVisible();
    const listed = coursePage.video("Dropped in");
    await expect(listed).toContainText("drag, drop");
    await expect(listed).toContainText("Practice");
    await page.screenshot({ path: testInfo.outputPath("5-done.png"), fullPage: true });
  });

  test("a three-part video through the file input, progress reaching 100%", async ({ page, coursePage, freshCourse, videoFile, storeFault }, testInfo) => {
    await coursePage.goto(freshCourse.id);
    const file = await videoFile("three-parts.mp4", 20 * MiB); // 8 + 8 + 4 MiB parts
    await storeFault({ kind: "latency", ms: 400, count: 3 });
    const progress = await coursePage.recordProgress();
    await coursePage.chooseFile(file);
    await coursePage.fillDetails({ title: "Three parts" });
    await coursePage.startUpload();
    await expect(coursePage.progressBar).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("4-uploading.png"), fullPage: true });
    await expect(coursePage.uploadedMessage).toBeVisible({ timeout: 60_000 });
    const values = await progress();
    expect(values.at(-1)).toBe(100);
    expect(values.some((value) => value > 0 && value < 100)).toBe(true);
    await expect(coursePage.video("Three parts")).toContainText("20 MB");
  });

  test("offline mid-upload: it waits and says so, sends nothing while offline, and finishes once back online", async ({
    page,
    context,
    coursePage,
    freshCourse,
    videoFile,
    storeFault,
  }) => {
    test.setTimeout(90_000);
    await coursePage.goto(freshCourse.id);
    // The parts are slow to arrive, so the connection goes while they are in flight.
    await storeFault({ kind: "throttle", bytesPerSecond: 2 * MiB, count: 3 });
    await coursePage.chooseFile(await videoFile("offline.mp4", 20 * MiB));
    await coursePage.fillDetails({ title: "Through a tunnel" });
    const partRequests: number[] = [];
    page.on("request", (request) => {
      if (request.method() === "PUT" && new URL(request.url()).searchParams.has("partNumber")) partRequests.push(Date.now());
    });
    await coursePage.startUpload();
    await expect.poll(() => partRequests.length).toBeGreaterThan(0);

    await context.setOffline(true);
    await expect(coursePage.offlineMessage).toBeVisible();
    // Long enough for several retries with backoff: none is tried (each would fail and spend an attempt).
    const sentBefore = partRequests.length;
    await page.waitForTimeout(4000);
    expect(partRequests.length).toBe(sentBefore);
    await expect(coursePage.uploadFailure).toHaveCount(0);

    await context.setOffline(false);
    await expect(coursePage.offlineMessage).toBeHidden();
    await expect(coursePage.uploadedMessage).toBeVisible({ timeout: 60_000 });
    await expect(coursePage.uploadFailure).toHaveCount(0);
    await expect(coursePage.video("Through a tunnel")).toContainText("20 MB");
  });

  test("the bar and the speed move while a single large part is on its way", async ({ coursePage, freshCourse, videoFile, storeFault }) => {
    await coursePage.goto(freshCourse.id);
    // One 6 MiB part (the whole file) that storage reads at 1.5 MiB/s: about 4 s in flight.
    await storeFault({ kind: "throttle", bytesPerSecond: 1.5 * MiB, count: 1 });
    const progress = await coursePage.recordProgress();
    await coursePage.chooseFile(await videoFile("one-big-part.mp4", 6 * MiB));
    await coursePage.fillDetails({ title: "One big part" });
    await coursePage.startUpload();
    // Before the part is stored, at one moment: a bar between 0 and 100 (the part's whole share) and a speed above zero.
    await expect.poll(() => coursePage.progressSnapshot(), { timeout: 20_000 }).toEqual({ inPart: true, speed: expect.stringMatching(/^[1-9][\d.]* (KB|MB)\/s$/) });
    await expect(coursePage.uploadedMessage).toBeVisible({ timeout: 60_000 });
    const values = await progress();
    expect(values.filter((value) => value > 0 && value < 100).length).toBeGreaterThanOrEqual(2);
    expect(values.at(-1)).toBe(100);
  });

  test("refuses a file that is not a video before sending anything", async ({ page, coursePage, freshCourse, videoFile }) => {
    await coursePage.goto(freshCourse.id);
    await coursePage.fileInput.setInputFiles(await videoFile("notes.txt", 100));
    await expect(page.getByRole("alert").filter({ hasText: "is not a video we accept" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Next", exact: true })).toHaveCount(0);
  });

  test("Cancel mid-upload aborts it; it is not listed", async ({ page, coursePage, freshCourse, videoFile, storeFault }) => {
    await coursePage.goto(freshCourse.id);
    await storeFault({ kind: "latency", ms: 5000, count: 3 });
    await coursePage.chooseFile(await videoFile("cancelled.mp4", 12 * MiB));
    await coursePage.fillDetails({ title: "Never mind" });
    await coursePage.startUpload();
    await expect(coursePage.progressBar).toBeVisible();
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Upload cancelled." })).toHaveText("Upload cancelled.");
    await page.reload();
    await expect(page.getByText("No videos yet.")).toBeVisible();
  });

  test("reload mid-upload, choose the same file, and finish without sending it all again", async ({ page, coursePage, freshCourse, videoFile, storeFault }) => {
    await coursePage.goto(freshCourse.id);
    const file = await videoFile("resumable.mp4", 20 * MiB); // 3 parts
    // One part (whichever reaches storage first) goes through at once; the others hang long enough to reload in between.
    await storeFault({ kind: "latency", ms: 1, count: 1 });
    await storeFault({ kind: "latency", ms: 60_000, count: 2 });
    await coursePage.chooseFile(file);
    await coursePage.fillDetails({ title: "Resumed" });
    page.on("dialog", (dialog) => void dialog.accept());
    await coursePage.startUpload();
    await expect(page.getByTestId("bytes-sent")).toHaveText(/^[1-9][\d.]* MB of 20 MB$/, { timeout: 30_000 });
    await page.reload();

    const pending = page.getByRole("region", { name: "Unfinished uploads" });
    await expect(pending).toContainText("Resumed");
    await pending.getByRole("button", { name: "Resume" }).click();
    // Which parts this session sends to storage (Playwright does not see the size of a Blob body).
    const partsSent: number[] = [];
    page.on("request", (request) => {
      const partNumber = new URL(request.url()).searchParams.get("partNumber");
      if (request.method() === "PUT" && partNumber) partsSent.push(Number(partNumber));
    });
    await coursePage.fileInput.setInputFiles(file);
    await expect(page.getByText("resumed: 1 part was already stored")).toBeVisible();
    await expect(coursePage.uploadedMessage).toBeVisible({ timeout: 60_000 });
    // The stored part was not sent again: only the other two were.
    expect(new Set(partsSent).size).toBe(2);
    await expect(coursePage.video("Resumed")).toBeVisible();
  });

  test("failed part uploads are retried and the upload still completes", async ({ coursePage, freshCourse, videoFile, storeFault }) => {
    await coursePage.goto(freshCourse.id);
    await storeFault({ kind: "status", status: 503, retryAfterSeconds: 1, count: 2 });
    await storeFault({ kind: "reset", afterBytes: 64 * 1024, count: 1 });
    await storeFault({ kind: "status", status: 500, count: 1 });
    await coursePage.uploadVideo(await videoFile("flaky.mp4", 11 * MiB), { title: "Survived the storm" });
  });
});

test.describe("library editing", () => {
  test("an editor edits a title inline and it persists after a reload", async ({ page, signInAs, coursePage, freshCourse, videoFile }) => {
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(await videoFile("edit-me.mp4", 1000), { title: "Draft title" });
    await page.context().clearCookies();

    await signInAs("editor");
    await coursePage.goto(freshCourse.id);
    await expect(page.getByRole("heading", { name: "Upload a video" })).toHaveCount(0);
    await coursePage.video("Draft title").getByRole("button", { name: "Edit title: Draft title" }).click();
    const input = page.getByRole("textbox", { name: "Title" });
    await input.fill("Final title");
    await input.press("Enter");
    await expect(coursePage.video("Final title")).toBeVisible();
    // The list shows the edit at once (optimistic); a reload before the save lands would lose it.
    await expect(coursePage.savedMessage).toBeVisible();
    await page.reload();
    await expect(coursePage.video("Final title")).toBeVisible();
    await expect(coursePage.video("Final title").getByRole("button", { name: "Delete" })).toHaveCount(0);
  });

  test("the video page: an editor edits the description in place; it persists", async ({ page, signInAs, coursePage, freshCourse, videoFile }) => {
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(await videoFile("page.mp4", 1000), { title: "On its page" });
    await page.context().clearCookies();

    await signInAs("editor");
    await coursePage.goto(freshCourse.id);
    await page.getByRole("link", { name: "Open On its page" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("On its page");
    await page.getByRole("button", { name: "Edit description: No description" }).click();
    await page.getByRole("textbox", { name: "Description" }).fill("Where the candles tell the story.");
    await page.getByRole("textbox", { name: "Description" }).press("Enter");
    await expect(page.getByRole("button", { name: /^Edit description: Where the candles/ })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "All changes saved" })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("region", { name: "Details" })).toContainText("Where the candles tell the story.");
    await expect(page.getByRole("button", { name: "Delete video" })).toHaveCount(0);
  });

  test("a viewer sees ready videos only and no edit controls", async ({ page, signInAs, coursePage, freshCourse, videoFile, sql }) => {
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(await videoFile("watch.mp4", 1000), { title: "Watch me" });
    await coursePage.uploadVideo(await videoFile("hidden.mp4", 1000), { title: "Not ready" });
    await sql`update videos set status = 'ready' where course_id = ${freshCourse.id} and title = 'Watch me'`;
    await page.context().clearCookies();

    await signInAs("student");
    await coursePage.goto(freshCourse.id);
    await expect(coursePage.video("Watch me")).toBeVisible();
    await expect(coursePage.video("Not ready")).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Upload a video" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  });

  test("an edit that lost a race shows the newer title and can be applied again", async ({ page, signInAs, coursePage, freshCourse, videoFile, sql }) => {
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(await videoFile("race.mp4", 1000), { title: "Original" });
    await coursePage.video("Original").getByRole("button", { name: "Edit title: Original" }).click();
    // While the user edits, someone else renames it, and the page polls their version in (the video is still in flight).
    await sql`update videos set title = 'Their title', version = version + 1 where course_id = ${freshCourse.id}`;
    await expect(page.getByRole("listitem", { name: "Their title" })).toBeVisible();
    // Saving now must not overwrite their change: the edit started from the older version.
    const input = page.getByRole("textbox", { name: "Title" });
    await input.fill("My title");
    await input.press("Enter");
    const alert = page.getByRole("alert").filter({ hasText: "Someone else changed this video" });
    await expect(alert).toContainText("“Their title”");
    await expect(coursePage.video("Their title")).toBeVisible();
    await alert.getByRole("button", { name: "Apply my change again" }).click();
    await expect(coursePage.video("My title")).toBeVisible();
    await expect(coursePage.savedMessage).toBeVisible();
    await page.reload();
    await expect(coursePage.video("My title")).toBeVisible();
  });

  test("delete asks first, then removes the video", async ({ page, signInAs, coursePage, freshCourse, videoFile }) => {
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(await videoFile("bye.mp4", 1000), { title: "Goodbye" });
    page.once("dialog", (dialog) => void dialog.dismiss());
    await coursePage.video("Goodbye").getByRole("button", { name: "Delete" }).click();
    await expect(coursePage.video("Goodbye")).toBeVisible();
    page.once("dialog", (dialog) => void dialog.accept());
    await coursePage.video("Goodbye").getByRole("button", { name: "Delete" }).click();
    await expect(coursePage.video("Goodbye")).toHaveCount(0);
  });
});
