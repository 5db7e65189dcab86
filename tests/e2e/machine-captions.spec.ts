import { expect, test } from "./fixtures";

// The e2e stack runs a transcription server speaking the OpenAI API (dev/transcription-server.ts): it
// transcribes French (language=fr) and refuses anything else, so other tests' videos get no machine track.
test.describe("machine captions", () => {
  test("staff generate captions from the transcription server; they arrive marked Machine · not reviewed", async ({
    page,
    videoPage,
    readyVideo,
    signInAs,
  }) => {
    test.setTimeout(240_000);
    await signInAs("instructor");
    const { videoId } = await readyVideo({ title: "Spoken" });

    // The run queued with the publish asks in no language (the video states none): the server refuses, staff read why.
    const status = videoPage.machineCaptions.getByRole("status");
    await expect(status).toHaveText(/^Machine captions failed: The transcription server answered 422: .*French only/, { timeout: 90_000 });
    await expect(videoPage.captions).toHaveCount(0);

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
