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
  get captions() {
    return this.page.getByRole("combobox", { name: "Captions" });
  }
  get speed() {
    return this.page.getByRole("combobox", { name: "Speed" });
  }
  get shortcutsButton() {
    return this.page.getByRole("button", { name: "Keyboard shortcuts" });
  }
  get shortcutsHelp() {
    return this.page.getByRole("dialog", { name: "Keyboard shortcuts" });
  }
  /** "Resumed at 0:06 · Start over" when the video opened where the viewer stopped. */
  get resumeNotice() {
    return this.page.getByRole("status").filter({ hasText: /^Resumed at/ });
  }
  get startOver() {
    return this.resumeNotice.getByRole("button", { name: "Start over" });
  }
  /** Plays (muted) until the playhead reaches `seconds`, pauses there and returns where it stopped. */
  async playUntil(title: string, seconds: number): Promise<number> {
    return this.player(title).evaluate(
      (video: HTMLVideoElement, until: number) =>
        new Promise<number>((resolve, reject) => {
          const check = () => {
            if (video.currentTime < until) return;
            video.removeEventListener("timeupdate", check);
            video.pause();
            resolve(video.currentTime);
          };
          video.addEventListener("timeupdate", check);
          video.muted = true;
          video.play().catch(reject);
        }),
      seconds,
    );
  }
  playbackRate(title: string) {
    return this.player(title).evaluate((video: HTMLVideoElement) => video.playbackRate);
  }
  paused(title: string) {
    return this.player(title).evaluate((video: HTMLVideoElement) => video.paused);
  }
  get captionSize() {
    return this.page.getByLabel("Caption size");
  }
  get transcript() {
    return this.page.getByRole("region", { name: /^Transcript/ });
  }
  get machineCaptions() {
    return this.page.getByRole("region", { name: "Machine captions" });
  }
  get captionManager() {
    return this.page.getByRole("region", { name: "Manage captions" });
  }
  /** Uploads a caption file (name and contents) through the Manage captions form. */
  async uploadCaptions({ name, contents, language }: { name: string; contents: string | Buffer; language: string }) {
    const manager = this.captionManager;
    await manager.getByLabel("Caption file (WebVTT or SRT)").setInputFiles({ name, mimeType: name.endsWith(".srt") ? "application/x-subrip" : "text/vtt", buffer: Buffer.from(contents) });
    await manager.getByLabel("Caption language").fill(language);
    await manager.getByRole("button", { name: "Upload captions" }).click();
  }
  get chapters() {
    return this.page.getByRole("navigation", { name: "Chapters" });
  }
  chapter(title: string) {
    return this.chapters.getByRole("button", { name: new RegExp(`^\\d+:\\d{2} ${title}$`) });
  }
  get transcriptSearch() {
    return this.page.getByRole("searchbox", { name: "Search the transcript" });
  }
  transcriptLine(text: string | RegExp) {
    return this.transcript.getByRole("button", { name: text });
  }
  /** The figure around the player (caption size and playing height are data attributes on it). */
  get figure() {
    return this.page.getByRole("figure").filter({ has: this.page.locator("video") });
  }

  /** The text of the cues showing now on the video's text tracks (what the viewer sees). */
  activeCues(title: string) {
    return this.player(title).evaluate((video: HTMLVideoElement) =>
      Array.from(video.textTracks)
        .filter((track) => track.mode === "showing")
        .flatMap((track) => Array.from(track.activeCues ?? []).map((cue) => (cue as VTTCue).text)),
    );
  }

  /** The tracks hls.js found in the master playlist (empty when the browser plays HLS itself). */
  showingTrackLanguages(title: string) {
    return this.player(title).evaluate((video: HTMLVideoElement) => Array.from(video.textTracks).filter((track) => track.mode === "showing").map((track) => track.language));
  }

  async seekTo(title: string, seconds: number) {
    await this.player(title).evaluate((video: HTMLVideoElement, at: number) => {
      video.currentTime = at;
    }, seconds);
  }

  /** Staff's panel while a playable video's other renditions are encoded. */
  get improvingPanel() {
    return this.page.getByLabel("Improving quality", { exact: true });
  }
  get qualityProgress() {
    return this.page.getByRole("progressbar", { name: "Quality progress" });
  }
  /** Whether the video element is playing (not paused, not ended). */
  isPlaying(title: string) {
    return this.player(title).evaluate((video: HTMLVideoElement) => !video.paused && !video.ended);
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
    // The player appears once the first rendition is published (playable); the rest of the ladder follows.
    await expect(this.status).toHaveText("Ready", { timeout: 120_000 });
  }

  /** Starts playback muted (autoplay rules) and resolves once it really plays. */
  async play(title: string) {
    await this.player(title).evaluate(async (video: HTMLVideoElement) => {
      video.muted = true;
      // Before the player has attached its source, a play() is cut short by that load: wait for the metadata.
      if (video.readyState < HTMLMediaElement.HAVE_METADATA) await new Promise((resolve) => video.addEventListener("loadedmetadata", resolve, { once: true }));
      return video.play();
    });
  }

  currentTime(title: string) {
    return this.player(title).evaluate((video: HTMLVideoElement) => video.currentTime);
  }

  /** How long the player says the video is (for a rendition still being written: what its playlist lists so far). */
  duration(title: string) {
    return this.player(title).evaluate((video: HTMLVideoElement) => (Number.isFinite(video.duration) ? video.duration : -1));
  }

  /** The height of the rendition hls.js is playing (set from its LEVEL_SWITCHED event). */
  playingHeight() {
    return this.page.getByRole("figure").filter({ has: this.page.locator("video") }).getAttribute("data-playing-height");
  }
}
