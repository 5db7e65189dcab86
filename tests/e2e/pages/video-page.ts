import { expect, type Locator, type Page } from "@playwright/test";

export class VideoPage {
  constructor(private readonly page: Page) {}

  player(title: string): Locator {
    return this.page.getByLabel(`Video: ${title}`);
  }
  get quality() {
    return this.page.getByLabel("Quality");
  }
  get seek() {
    return this.page.getByRole("slider", { name: "Seek" });
  }
  get processingProgress() {
    return this.page.getByRole("progressbar", { name: "Processing progress" });
  }
  get status() {
    return this.page.locator(".meta .badge");
  }

  get replacePanel() {
    return this.page.getByRole("region", { name: "Replace video" });
  }
  get replaceProgress() {
    return this.page.getByRole("progressbar", { name: "Replacement upload progress" });
  }

  /** "Replace video", then the new file: its upload starts at once. */
  async replaceWith(file: string) {
    await this.replacePanel.getByRole("button", { name: "Replace video" }).click();
    await this.page.getByLabel("Replacement file").setInputFiles(file);
  }

  /** Waits (the page polls) until processing is over and the player is there. */
  async waitUntilPlayable(title: string) {
    await expect(this.player(title)).toBeVisible({ timeout: 120_000 });
    await expect(this.status).toHaveText("Ready");
  }

  /** Starts playback muted (autoplay rules) and resolves once it really plays. */
  async play(title: string) {
    await this.player(title).evaluate((video: HTMLVideoElement) => {
      video.muted = true;
      return video.play();
    });
  }

  currentTime(title: string) {
    return this.player(title).evaluate((video: HTMLVideoElement) => video.currentTime);
  }

  /** The height of the rendition hls.js is playing (set from its LEVEL_SWITCHED event). */
  playingHeight() {
    return this.page.getByRole("figure").filter({ has: this.page.locator("video") }).getAttribute("data-playing-height");
  }
}
