import { expect, test } from "./fixtures";

const SRT = "1\r\n00:00:01,000 --> 00:00:03,000\r\nHello, class.\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,500\r\nToday: <i>options</i> pricing.\r\n";

test.describe("captions in the player", () => {
  test("an uploaded SRT plays as captions at its times, the transcript follows and seeks, and the choices are remembered", async ({
    page,
    videoPage,
    readyVideo,
    signInAs,
  }) => {
    test.setTimeout(180_000);
    await signInAs("instructor");
    const { videoId } = await readyVideo({ title: "Captioned" });
    await expect(videoPage.captions).toHaveCount(0);

    // From the page, as a browser sends it: the session cookie with the app's Origin and a JSON body.
    const upload = await page.request.put(`/api/v1/education/videos/${videoId}/captions/en`, {
      data: { format: "srt", content: SRT },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(upload.status()).toBe(201);
    await page.reload();
    await videoPage.waitUntilPlayable("Captioned");

    await expect(videoPage.captions.getByRole("option")).toHaveText(["Off", "English"]);
    await expect(videoPage.captions).toHaveValue("");
    await expect(videoPage.transcriptLine(/^0:01 Hello, class\.$/)).toBeVisible();
    await expect(videoPage.transcriptLine(/^0:04 Today: options pricing\.$/)).toBeVisible();

    await videoPage.captions.selectOption({ label: "English" });
    await expect.poll(() => videoPage.showingTrackLanguages("Captioned"), { timeout: 30_000 }).toEqual(["en"]);
    // Cue times hold on the video's clock (the segments start about 1.4 s into MPEG-TS time): at 2.8 s the first cue
    // shows, at 0.5 s none does.
    await videoPage.seekTo("Captioned", 2.8);
    await expect.poll(() => videoPage.activeCues("Captioned"), { timeout: 30_000 }).toEqual(["Hello, class."]);
    await expect(videoPage.transcriptLine(/Hello, class/)).toHaveAttribute("aria-current", "true");
    await videoPage.seekTo("Captioned", 0.5);
    await expect.poll(() => videoPage.activeCues("Captioned")).toEqual([]);

    // Clicking a line seeks to it; the search narrows the lines, and the keyboard does the same.
    await videoPage.transcriptLine(/Today: options/).click();
    await expect.poll(() => videoPage.currentTime("Captioned")).toBeCloseTo(4, 1);
    await expect.poll(() => videoPage.activeCues("Captioned"), { timeout: 30_000 }).toEqual(["Today: <i>options</i> pricing."]);
    await expect(videoPage.transcriptLine(/Today: options/)).toHaveAttribute("aria-current", "true");

    await videoPage.transcriptSearch.fill("HELLO");
    await expect(videoPage.transcript.getByRole("status")).toHaveText("1 line matches.");
    await expect(videoPage.transcript.getByRole("button")).toHaveCount(1);
    await videoPage.transcriptSearch.press("Tab");
    await expect(videoPage.transcriptLine(/Hello, class/)).toBeFocused();
    await page.keyboard.press("Enter");
    await expect.poll(() => videoPage.currentTime("Captioned")).toBeCloseTo(1, 1);
    await videoPage.transcriptSearch.fill("nothing like this");
    await expect(videoPage.transcript.getByRole("status")).toHaveText("No line matches.");

    await videoPage.captionSize.selectOption({ label: "Large" });
    await expect(videoPage.figure).toHaveAttribute("data-caption-size", "large");

    // Both choices are remembered in this browser.
    await page.reload();
    await videoPage.waitUntilPlayable("Captioned");
    await expect(videoPage.captions).toHaveValue("en");
    await expect(videoPage.captionSize).toHaveValue("large");
    await expect(videoPage.figure).toHaveAttribute("data-caption-size", "large");
    await expect.poll(() => videoPage.showingTrackLanguages("Captioned"), { timeout: 30_000 }).toEqual(["en"]);
    await videoPage.captions.selectOption({ label: "Off" });
    await expect.poll(() => videoPage.showingTrackLanguages("Captioned")).toEqual([]);
    await page.reload();
    await expect(videoPage.captions).toHaveValue("");
  });

  test("chapters appear as a list that seeks and as the video's chapters track", async ({ page, coursePage, videoPage, freshCourse, realVideo, signInAs }) => {
    test.setTimeout(180_000);
    await signInAs("instructor");
    const file = await realVideo("chaptered.mp4", { seconds: 8, width: 640, height: 360 });
    await coursePage.goto(freshCourse.id);
    await coursePage.uploadVideo(file, { title: "Chaptered" });
    await page.getByRole("link", { name: "Open Chaptered" }).click();
    await videoPage.waitUntilPlayable("Chaptered");
    await expect(videoPage.chapters).toHaveCount(0);

    const videoId = /\/videos\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? "";
    const set = await page.request.put(`/api/v1/education/videos/${videoId}/chapters`, {
      data: { chapters: [{ startSeconds: 0, title: "Intro" }, { startSeconds: 5, title: "Pricing" }] },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(set.status()).toBe(200);
    await page.reload();
    await videoPage.waitUntilPlayable("Chaptered");

    await expect(videoPage.chapters.getByRole("button")).toHaveText(["0:00 Intro", "0:05 Pricing"]);
    await expect(videoPage.chapter("Intro")).toHaveAttribute("aria-current", "true");
    // A mark on the timeline where each chapter after the first starts.
    await expect(page.getByTestId("chapter-mark")).toHaveCount(1);
    await expect(page.getByTestId("chapter-mark")).toHaveAttribute("title", "Pricing");
    await videoPage.chapter("Pricing").click();
    await expect.poll(() => videoPage.currentTime("Chaptered")).toBeCloseTo(5, 1);
    await expect(videoPage.chapter("Pricing")).toHaveAttribute("aria-current", "true");
    await expect
      .poll(() =>
        videoPage.player("Chaptered").evaluate((video: HTMLVideoElement) =>
          Array.from(video.textTracks)
            .filter((track) => track.kind === "chapters")
            .flatMap((track) => Array.from(track.cues ?? []).map((cue) => [cue.startTime, cue.endTime, (cue as VTTCue).text])),
        ),
      )
      .toEqual([
        [0, 5, "Intro"],
        [5, expect.closeTo(8, 0), "Pricing"],
      ]);
  });

  test("staff upload an SRT file on the video page: problems are listed by line, a good file becomes a track", async ({
    page,
    videoPage,
    readyVideo,
    signInAs,
  }) => {
    test.setTimeout(180_000);
    await signInAs("instructor");
    await readyVideo({ title: "Managed", seconds: 4 });
    await expect(videoPage.captionManager.getByText("No captions yet.")).toBeVisible();

    await videoPage.uploadCaptions({ name: "bad.srt", contents: "1\n00:00:01.000 --> 00:00:09,000\nToo long\n", language: "en" });
    await expect(videoPage.captionManager.getByRole("alert")).toContainText("Line 2: The cue ends at 00:00:09.000, past the video's end");
    await videoPage.uploadCaptions({ name: "latin1.srt", contents: Buffer.concat([Buffer.from("1\n00:00:01,000 --> 00:00:02,000\nCaf"), Buffer.from([0xe9])]), language: "en" });
    await expect(videoPage.captionManager.getByRole("alert")).toContainText("Line 3: Not UTF-8");

    await videoPage.uploadCaptions({ name: "good.srt", contents: SRT.replace("00:00:06,500", "00:00:04,500"), language: "pt-br" });
    await expect(videoPage.captionManager.getByRole("status")).toHaveText("Captions saved: Português (Brasil), 2 cues. Reload the page to see them in the player.");
    await expect(videoPage.captionManager.getByRole("listitem")).toHaveText(["Português (Brasil) (pt-BR, captions, 2 cues) Remove"]);
    await page.reload();
    await expect(videoPage.captions.getByRole("option")).toHaveText(["Off", "Português (Brasil)"]);

    await videoPage.captionManager.getByRole("button", { name: "Remove captions Português (Brasil)" }).click();
    await expect(videoPage.captionManager.getByText("No captions yet.")).toBeVisible();
  });
});
