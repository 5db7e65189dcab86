import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures";

const SRT = "1\r\n00:00:01,000 --> 00:00:02,500\r\nGood morning.\r\n\r\n2\r\n00:00:05,000 --> 00:00:07,000\r\nThe mitochondria is the powerhouse of the cell.\r\n";

test.describe("course search", () => {
  test("a phrase from the captions finds the moment, the hit opens the video there; a viewer does not find a video that is not ready", async ({
    page,
    coursePage,
    videoPage,
    freshCourse,
    readyVideo,
    signInAs,
    sql,
  }) => {
    test.setTimeout(180_000);
    await signInAs("instructor");
    const { videoId } = await readyVideo({ title: "Cell biology" });
    const upload = await page.request.put(`/api/v1/education/videos/${videoId}/captions/en`, {
      data: { format: "srt", content: SRT },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(upload.status()).toBe(201);
    // A video still being processed, whose title matches too: staff find it, viewers do not.
    const draftId = randomUUID();
    await sql`
      insert into videos (id, course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status)
      values (${draftId}, ${freshCourse.id}, 'Powerhouse draft', 'd.mp4', 'local', 'lectern', ${`${freshCourse.storagePrefix}${draftId}/source.mp4`}, 1000, 'video/mp4', 'processing')`;

    await coursePage.goto(freshCourse.id);
    await coursePage.search('"powerhouse of the cell"');
    await expect(coursePage.searchResults('"powerhouse of the cell"').getByRole("listitem").first()).toContainText("Cell biology");
    await coursePage.search("powerhouse");
    await expect(coursePage.searchResults("powerhouse").getByRole("link", { name: "Powerhouse draft" })).toBeVisible();
    const moment = coursePage.searchMoments("Cell biology");
    await expect(moment).toHaveText(["0:05 The mitochondria is the powerhouse of the cell"]);
    await moment.click();
    await expect(page).toHaveURL(new RegExp(`/courses/${freshCourse.id}/videos/${videoId}\\?t=5$`));
    await videoPage.waitUntilPlayable("Cell biology");
    await expect.poll(() => videoPage.currentTime("Cell biology"), { timeout: 30_000 }).toBeGreaterThanOrEqual(4.9);
    expect(await videoPage.currentTime("Cell biology")).toBeLessThan(5.5);

    await page.context().clearCookies();
    await signInAs("student");
    await coursePage.goto(freshCourse.id);
    await coursePage.search("powerhouse");
    await expect(coursePage.searchResults("powerhouse").getByRole("link", { name: "Cell biology" })).toBeVisible();
    await expect(coursePage.searchResults("powerhouse")).not.toContainText("Powerhouse draft");
    await expect(coursePage.searchMoments("Cell biology")).toHaveCount(1);
    await expect(page.getByRole("link", { name: "Accessibility" })).toHaveCount(0);
    await coursePage.search("zebrafish");
    await expect(page.getByRole("status").filter({ hasText: "Nothing in this course matches “zebrafish”." })).toBeVisible();
  });

  test("staff see each video's caption state and the share of reviewed minutes", async ({ page, freshCourse, signInAs, sql }) => {
    const ready = randomUUID();
    const machine = randomUUID();
    for (const [id, title, seconds] of [
      [ready, "Reviewed lecture", 90],
      [machine, "Machine lecture", 30],
    ] as const) {
      await sql`
        insert into videos (id, course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
        values (${id}, ${freshCourse.id}, ${title}, 'v.mp4', 'local', 'lectern', ${`${freshCourse.storagePrefix}${id}/source.mp4`}, 1000, 'video/mp4', 'ready', ${seconds})`;
    }
    await sql`insert into caption_tracks (video_id, language, label, kind, origin, reviewed, content, cue_count) values (${ready}, 'en', 'English', 'captions', 'uploaded', true, 'WEBVTT', 0)`;
    await sql`insert into caption_tracks (video_id, language, label, kind, origin, reviewed, content, cue_count) values (${machine}, 'en', 'English', 'captions', 'machine', false, 'WEBVTT', 0)`;
    await signInAs("editor");
    await page.goto(`/courses/${freshCourse.id}`);
    await page.getByRole("link", { name: "Accessibility" }).click();
    await expect(page.getByRole("heading", { name: `Accessibility of ${freshCourse.title}` })).toBeVisible();
    await expect(page.getByTestId("reviewed-share")).toHaveText("75% of the course's minutes have reviewed captions (1:30 of 2:00).");
    await expect(page.getByRole("row", { name: /Reviewed lecture/ })).toContainText("Reviewed captions");
    await expect(page.getByRole("row", { name: /Machine lecture/ })).toContainText("Captions not reviewed (English: machine)");
  });
});
