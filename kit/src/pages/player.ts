import { expect, type Locator, type Page } from "@playwright/test";

/** The player on a video's page. */
export class Player {
  constructor(readonly page: Page) {}

  async goto(courseId: string, videoId: string) {
    await this.page.goto(`/courses/${courseId}/videos/${videoId}`);
  }

  get video(): Locator {
    return this.page.getByLabel(/^Video: /);
  }
  /** The rendition choice (Auto, 720p, …); only with more than one rendition. */
  get quality(): Locator {
    return this.page.getByLabel("Quality", { exact: true });
  }
  get captionsSelect(): Locator {
    return this.page.getByRole("combobox", { name: "Captions", exact: true });
  }

  /** Starts playback (muted, for autoplay rules) and waits until time moves. */
  async play() {
    await expect(this.video).toBeVisible({ timeout: 120_000 });
    await this.video.evaluate((video: HTMLVideoElement) => {
      video.muted = true;
      return video.play();
    });
    await expect.poll(() => this.currentTime(), { timeout: 30_000 }).toBeGreaterThan(0);
  }

  currentTime(): Promise<number> {
    return this.video.evaluate((video: HTMLVideoElement) => video.currentTime);
  }

  /** Picks a rendition by its label ("Auto", "360p", …). */
  async chooseQuality(label: string) {
    await this.quality.selectOption({ label });
  }

  /** The caption tracks offered (their labels; "Off" left out); empty when the video has none. */
  async captions(): Promise<string[]> {
    if ((await this.captionsSelect.count()) === 0) return [];
    const labels = await this.captionsSelect.locator("option").allTextContents();
    return labels.filter((label) => label !== "Off");
  }

  async chooseCaptions(label: string) {
    await this.captionsSelect.selectOption({ label });
  }
}
