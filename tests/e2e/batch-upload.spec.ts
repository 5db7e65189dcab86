import type { Page, Request } from "@playwright/test";
import { expect, test } from "./fixtures";
import { fetchThrough } from "./route-fetch";

const MiB = 1024 * 1024;

/** The most videos whose parts were on their way to storage at the same moment (seen from the browser's requests). */
function storageConcurrency(page: Page) {
  const inFlight = new Map<Request, string>();
  let max = 0;
  page.on("request", (request) => {
    const url = new URL(request.url());
    const video = /\/videos\/[^/]+\/([^/]+)\//.exec(url.pathname)?.[1];
    if (request.method() !== "PUT" || !url.searchParams.has("partNumber") || !video) return;
    inFlight.set(request, video);
    max = Math.max(max, new Set(inFlight.values()).size);
  });
  const settle = (request: Request) => inFlight.delete(request);
  page.on("requestfinished", settle);
  page.on("requestfailed", settle);
  return () => max;
}

test.describe("uploading many files at once", () => {
  test.beforeEach(async ({ signInAs }) => {
    await signInAs("instructor");
  });

  test("three files dropped into a lesson: titles from their names, two at a time, one cut by storage and retried, all finish", async ({
    page,
    coursePage,
    freshCourse,
    storeFault,
  }, testInfo) => {
    test.setTimeout(120_000);
    await coursePage.goto(freshCourse.id);
    const cut = "week-3_intro-to-sets.mp4";
    // Storage refuses every attempt at the cut file's part (as many times as the uploader tries), whatever the
    // other two are doing: the fault is set for its key as soon as its upload exists, before the page hears of it.
    await page.route("**/api/v1/education/videos/upload-init", async (route) => {
      const response = await fetchThrough(route);
      const body = (await response.json()) as { data?: { videoId: string } };
      if ((route.request().postDataJSON() as { filename?: string }).filename === cut && body.data) {
        await storeFault({ kind: "status", status: 503, retryAfterSeconds: 0, count: 8, keyPrefix: `${freshCourse.storagePrefix}${body.data.videoId}/` });
      }
      await route.fulfill({ response, json: body });
    });
    const storageMax = storageConcurrency(page);

    await coursePage.dropFiles([
      { name: "week-1_welcome.mp4", size: 20 * MiB },
      { name: "week-2_sets-and-maps.mp4", size: 12 * MiB },
      { name: cut, size: 3 * MiB },
    ]);
    const queue = coursePage.queue;
    await expect(queue.getByRole("listitem")).toHaveCount(3);
    await expect(coursePage.queued(cut).getByLabel(`Title of ${cut}`)).toHaveValue("Week 3 intro to sets");
    await expect(coursePage.queued("week-1_welcome.mp4").getByLabel("Title of week-1_welcome.mp4")).toHaveValue("Week 1 welcome");
    await queue.getByLabel("Lesson for these videos").selectOption({ label: "Practice" });
    await expect(coursePage.queued(cut).getByLabel(`Lesson of ${cut}`)).toHaveValue(freshCourse.lessons[1]?.id ?? "");
    // Per file: another title, another lesson.
    await coursePage.queued("week-2_sets-and-maps.mp4").getByLabel("Title of week-2_sets-and-maps.mp4").fill("Sets and maps, properly");
    await coursePage.queued("week-1_welcome.mp4").getByLabel("Lesson of week-1_welcome.mp4").selectOption({ label: "Basics" });
    await page.screenshot({ path: testInfo.outputPath("1-queue.png"), fullPage: true });

    const queueMax = await coursePage.recordQueueConcurrency();
    await queue.getByRole("button", { name: "Upload 3 videos" }).click();
    await expect(coursePage.queued(cut).getByTestId("queue-status")).toHaveText("Waiting");

    // The cut file fails on its own, with a readable reason; the others go on and finish.
    const failure = coursePage.queued(cut).getByRole("alert");
    await expect(failure).toContainText("Storage rejected part 1 with 503", { timeout: 60_000 });
    await page.screenshot({ path: testInfo.outputPath("2-one-failed.png"), fullPage: true });
    for (const name of ["week-1_welcome.mp4", "week-2_sets-and-maps.mp4"]) {
      await expect(coursePage.queued(name).getByTestId("queue-status")).toHaveText("Uploaded", { timeout: 60_000 });
    }
    await coursePage.queued(cut).getByRole("button", { name: `Retry ${cut}` }).click();
    await expect(coursePage.queued(cut).getByTestId("queue-status")).toHaveText("Uploaded", { timeout: 60_000 });
    await expect(queue.getByRole("heading")).toHaveText("3 videos · 3 of 3 uploaded");
    await expect(coursePage.queued(cut).getByRole("link", { name: "Open Week 3 intro to sets" })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("3-done.png"), fullPage: true });

    expect(await queueMax()).toBe(2);
    expect(storageMax()).toBeLessThanOrEqual(2);
    expect(storageMax()).toBeGreaterThanOrEqual(1);
    await expect(coursePage.video("Week 1 welcome")).toContainText("Basics");
    await expect(coursePage.video("Sets and maps, properly")).toContainText("Practice");
    await expect(coursePage.video("Week 3 intro to sets")).toContainText("Practice");
    await expect(coursePage.video("Week 3 intro to sets")).toContainText("3.0 MB");
    await queue.getByRole("button", { name: "Upload more videos" }).click();
    await expect(coursePage.fileInput).toBeVisible();
    await expect(coursePage.pendingUploads).toHaveCount(0);
  });

  test("a reload mid-batch lists the unfinished files; choosing them again finishes them without resending stored parts", async ({
    page,
    coursePage,
    freshCourse,
    storeFault,
  }) => {
    test.setTimeout(120_000);
    await coursePage.goto(freshCourse.id);
    // The first part of each file goes through; its next ones hang long enough to reload in between.
    await page.route("**/api/v1/education/videos/upload-init", async (route) => {
      const response = await fetchThrough(route);
      const body = (await response.json()) as { data?: { videoId: string } };
      if (body.data) {
        const keyPrefix = `${freshCourse.storagePrefix}${body.data.videoId}/`;
        await storeFault({ kind: "latency", ms: 1, count: 1, keyPrefix });
        await storeFault({ kind: "latency", ms: 60_000, count: 2, keyPrefix });
      }
      await route.fulfill({ response, json: body });
    });
    const files = [
      { name: "lecture-a.mp4", size: 20 * MiB },
      { name: "lecture-b.mp4", size: 20 * MiB },
      { name: "lecture-c.mp4", size: 2 * MiB },
    ];
    await coursePage.dropFiles(files);
    await coursePage.queue.getByRole("button", { name: "Upload 3 videos" }).click();
    await expect(coursePage.queued("lecture-a.mp4").getByTestId("queue-status")).toHaveText(/^Uploading [1-9]\d?%/, { timeout: 30_000 });
    await expect(coursePage.queued("lecture-b.mp4").getByTestId("queue-status")).toHaveText(/^Uploading [1-9]\d?%/, { timeout: 30_000 });
    await expect(coursePage.queued("lecture-c.mp4").getByTestId("queue-status")).toHaveText("Waiting");
    page.on("dialog", (dialog) => void dialog.accept());
    await page.reload();

    // The two that started are remembered; the one still waiting had not begun.
    const pending = coursePage.pendingUploads;
    await expect(pending.getByRole("listitem")).toHaveCount(2);
    await expect(pending).toContainText("Lecture a");
    await expect(pending).toContainText("Lecture b");
    await expect(page.getByText("Choose the unfinished files again")).toBeVisible();

    const partsSent: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (request.method() === "PUT" && url.searchParams.has("partNumber")) partsSent.push(`${url.pathname}#${url.searchParams.get("partNumber")}`);
    });
    // The same files again, chosen together (made in the page as before: same name, size and time).
    await coursePage.dropFiles(files.slice(0, 2));
    for (const name of ["lecture-a.mp4", "lecture-b.mp4"]) {
      await expect(coursePage.queued(name).getByTestId("queue-status")).toHaveText("Uploaded", { timeout: 60_000 });
    }
    // Each had one of its three parts stored before the reload: only the other two went again.
    expect(new Set(partsSent).size).toBe(4);
    await expect(coursePage.video("Lecture a")).toContainText("20 MB");
    await expect(coursePage.video("Lecture b")).toContainText("20 MB");
    await coursePage.queue.getByRole("button", { name: "Upload more videos" }).click();
    await expect(coursePage.fileInput).toBeVisible();
    await expect(coursePage.pendingUploads).toHaveCount(0);
  });
});
