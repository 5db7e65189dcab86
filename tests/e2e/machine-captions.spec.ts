import { expect, test } from "./fixtures";

// The e2e stack runs a transcription server speaking the OpenAI API (dev/transcription-server.ts): it
// transcribes French (language=fr) and refuses anything else, so other tests' videos get no machine track.
test.describe("machine captions", () => {
  test("staff generate captions from the transcription server; they arrive marked Machine · not reviewed", async ({
    page,
    coursePage,
    videoPage,
    freshCourse,
    realVideo,
    signInAs,
  }) => {
    test.setTimeout(240_000);
    await signInAs("instructor");
    const file = await realVideo("spoken.mp4", { seconds: 8, width: 640, height: 360 });
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(file, { title: "Spoken" });
    await page.getByRole("link", { name: "Open Spoken" }).click();
    await videoPage.waitUntilPlayable("Spoken");

    // The run queued with the publish asks in no language (the video states none): the server refuses, staff read why.
    const status = videoPage.machineCaptions.getByRole("status");
    await expect(status).toHaveText(/^Machine captions failed: The transcription server answered 422: .*French only/, { timeout: 90_000 });
    await expect(videoPage.captions).toHaveCount(0);

    const videoId = /\/videos\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? "";
    const origin = new URL(page.url()).origin;
    const current = (await (await page.request.get(`/api/v1/education/videos/${videoId}`)).json()) as { data: { version: number } };
    const patched = await page.request.patch(`/api/v1/education/videos/${videoId}`, { data: { language: "fr", version: current.data.version }, headers: { origin } });
    expect(patched.status()).toBe(200);
    await page.reload();
    await videoPage.waitUntilPlayable("Spoken");

    await videoPage.machineCaptions.getByRole("button", { name: "Generate captions" }).click();
    await expect(status).toHaveText(/^Machine captions: done\./, { timeout: 90_000 });
    await expect(videoPage.captionManager.getByRole("listitem").filter({ hasText: "Français" })).toContainText("Machine · not reviewed");
    // While a run is queued a second one is refused: the button is enabled again only after it.
    await expect(videoPage.machineCaptions.getByRole("button", { name: "Generate captions" })).toBeEnabled();

    await page.reload();
    await videoPage.waitUntilPlayable("Spoken");
    await expect(videoPage.captions.getByRole("option")).toHaveText(["Off", "Français (Machine · not reviewed)"]);
    await expect(videoPage.transcriptLine(/Bonjour à toutes et à tous\./)).toBeVisible();
  });
});
