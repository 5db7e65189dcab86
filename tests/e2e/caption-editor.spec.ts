import { expect, test } from "./fixtures";
import { CaptionEditorPage } from "./pages/caption-editor";

const VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHelo, class.\n\n00:00:02.500 --> 00:00:04.000\nToday we look at options.\n\n00:00:05.000 --> 00:00:06.000\nDelete me.\n";
const SAVED =
  "WEBVTT\n\n00:00:01.500 --> 00:00:02.500\nHello, class.\n\n00:00:03.000 --> 00:00:03.750\nToday we look\n\n00:00:03.750 --> 00:00:04.500\nat options.\n";

test.describe("caption editor", () => {
  test("an editor fixes, shifts, splits and deletes cues, is stopped by a bad time, saves, and a conflicting save shows the newer version", async ({
    page,
    videoPage,
    readyVideo,
    signInAs,
    sql,
  }) => {
    test.setTimeout(240_000);
    await signInAs("instructor");
    const { videoId, url: videoUrl } = await readyVideo({ title: "Edited captions" });
    const trackUrl = `/api/v1/education/videos/${videoId}/captions/en`;
    const origin = new URL(videoUrl).origin;
    expect((await page.request.put(trackUrl, { data: { format: "vtt", content: VTT }, headers: { origin } })).status()).toBe(201);

    // Editors (not only the owner) edit captions.
    await page.context().clearCookies();
    await signInAs("editor");
    await page.goto(videoUrl);
    await videoPage.waitUntilPlayable("Edited captions");
    const editor = new CaptionEditorPage(page);
    await editor.open("English");
    await expect(editor.cues).toHaveCount(3);
    await expect(editor.save).toBeDisabled();
    expect(await editor.leaveWarns()).toBe(false);

    await editor.text(1).fill("Hello, class.");
    // Unsaved changes: leaving the page asks first.
    await expect.poll(() => editor.leaveWarns()).toBe(true);
    await editor.shiftAll(0.5);
    await expect(editor.start(1)).toHaveValue("00:00:01.500");
    await editor.button("Split cue 2").click();
    await editor.button("Delete cue 4").click();
    expect(await editor.values()).toEqual([
      ["00:00:01.500", "00:00:02.500", "Hello, class."],
      ["00:00:03.000", "00:00:03.750", "Today we look"],
      ["00:00:03.750", "00:00:04.500", "at options."],
    ]);

    // Play from a cue seeks the page's player there and plays.
    await editor.button("Play from cue 2").click();
    await expect.poll(() => videoPage.player("Edited captions").evaluate((video: HTMLVideoElement) => !video.paused && video.currentTime >= 3)).toBe(true);
    await videoPage.player("Edited captions").evaluate((video: HTMLVideoElement) => video.pause());

    // The server's own message, beside the cue, as one types; no saving meanwhile.
    await editor.end(1).fill("00:00:01.000");
    await expect(editor.cue(1)).toContainText("The cue ends (00:00:01.000) before it starts (00:00:01.500): the end must come after the start.");
    await expect(editor.end(1)).toHaveAttribute("aria-invalid", "true");
    await expect(editor.save).toBeDisabled();
    await editor.end(1).fill("00:00:02.500");
    await expect(editor.cue(1)).not.toContainText("The cue ends");

    await editor.save.click();
    await expect(editor.saveStatus).toHaveText("All changes saved");
    expect(await editor.leaveWarns()).toBe(false);
    const saved = await page.request.get(trackUrl);
    expect(await saved.text()).toBe(SAVED);
    expect(saved.headers().etag).toBe('"2"');

    await page.reload();
    await videoPage.waitUntilPlayable("Edited captions");
    await editor.open("English");
    await expect(editor.cues).toHaveCount(3);
    expect(await editor.values()).toEqual([
      ["00:00:01.500", "00:00:02.500", "Hello, class."],
      ["00:00:03.000", "00:00:03.750", "Today we look"],
      ["00:00:03.750", "00:00:04.500", "at options."],
    ]);

    // Someone else saves meanwhile: saving ours shows theirs, and ours can be applied again over it.
    await editor.text(1).fill("Hello, everyone.");
    const theirs = await page.request.put(trackUrl, {
      data: { format: "vtt", content: "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nChanged by someone else.\n", version: 2 },
      headers: { origin },
    });
    expect(theirs.status()).toBe(200);
    await editor.save.click();
    await expect(editor.alert).toContainText("Someone else changed these captions meanwhile; you now see their version (version 3, 1 cues).");
    expect(await editor.values()).toEqual([["00:00:01.000", "00:00:02.000", "Changed by someone else."]]);
    await editor.alert.getByRole("button", { name: "Apply my changes again" }).click();
    await expect(editor.saveStatus).toHaveText("All changes saved");
    await expect(editor.alert).toHaveCount(0);
    expect(await editor.text(1).inputValue()).toBe("Hello, everyone.");
    const reapplied = await page.request.get(trackUrl);
    expect(await reapplied.text()).toBe(SAVED.replace("Hello, class.", "Hello, everyone."));
    expect(reapplied.headers().etag).toBe('"4"');

    // A machine track (as the transcription job stores it): the editor marks it reviewed, and it becomes an edited track.
    await sql`update caption_tracks set origin = 'machine', reviewed = false where video_id = ${videoId} and language = 'en'`;
    await page.reload();
    await videoPage.waitUntilPlayable("Edited captions");
    await editor.open("English");
    await expect(editor.region).toContainText("machine-made, not reviewed, version 4");
    await editor.button("Mark as reviewed").click();
    await expect(editor.region).toContainText("edited, reviewed, version 5");
    await expect(editor.button("Mark as reviewed")).toHaveCount(0);
    const list = await page.request.get(`/api/v1/education/videos/${videoId}/captions`);
    expect((await list.json()).data).toMatchObject([{ language: "en", origin: "edited", reviewed: true, version: 5 }]);
  });
});
