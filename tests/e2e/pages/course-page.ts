import { expect, type Locator, type Page } from "@playwright/test";

export type VideoDetails = { title: string; description?: string; tags?: string; difficulty?: string; language?: string; lesson?: string };

/** A course page: its upload wizard and its video library. */
export class CoursePage {
  constructor(readonly page: Page) {}

  async goto(courseId: string) {
    await this.page.goto(`/courses/${courseId}`);
    await expect(this.page.getByRole("heading", { name: "Videos", level: 2 })).toBeVisible();
  }

  get fileInput() {
    return this.page.getByLabel("Video file");
  }
  get detailsForm() {
    return this.page.getByRole("form", { name: "Video details" });
  }
  get progressBar() {
    return this.page.getByRole("progressbar", { name: "Upload progress", exact: true });
  }
  get offlineMessage() {
    return this.page.getByRole("status").filter({ hasText: "Offline — the upload will continue when you are back online." });
  }
  /** The wizard's "The upload stopped: …" (Next's empty route announcer is an alert too). */
  get uploadFailure() {
    return this.page.getByRole("alert").filter({ hasText: "The upload stopped" });
  }
  get uploadSpeed() {
    return this.page.getByTestId("upload-speed");
  }
  get uploadedMessage() {
    return this.page.getByRole("status").filter({ hasText: "Uploaded" });
  }
  /** Shown once an inline edit has reached the server. */
  get savedMessage() {
    return this.page.getByRole("status").filter({ hasText: "All changes saved" });
  }
  get videoList() {
    return this.page.getByRole("list", { name: "Videos" });
  }
  get searchBox() {
    return this.page.getByRole("searchbox", { name: "Search videos and captions" });
  }
  /** Searches the course and waits for the answer (a list of results, or the "nothing matches" status). */
  async search(q: string) {
    await this.searchBox.fill(q);
    await this.page.getByRole("search").getByRole("button", { name: "Search" }).click();
    await expect(this.searchResults(q).or(this.page.getByRole("status").filter({ hasText: "Nothing in this course matches" }))).toBeVisible();
  }
  searchResults(q: string) {
    return this.page.getByRole("list", { name: `Results for ${q}` });
  }
  /** A result's moments (caption hits), as links that open the video there. */
  searchMoments(videoTitle: string) {
    return this.page.getByRole("list", { name: `Moments in ${videoTitle}` }).getByRole("link");
  }
  /** A video on a learner's outline (lessons and their videos). */
  outlineVideo(title: string): Locator {
    return this.page.getByRole("list", { name: /^Videos of / }).getByRole("listitem").filter({ has: this.page.getByRole("link", { name: title, exact: true }) });
  }
  /** The learner's progress bar on that video ("45 % watched", "Completed"). */
  watchProgress(title: string): Locator {
    return this.outlineVideo(title).getByRole("progressbar");
  }
  get continueWatching() {
    return this.page.getByRole("region", { name: "Continue watching" });
  }
  video(title: string): Locator {
    return this.videoList.getByRole("listitem", { name: title, exact: true });
  }

  /** Step 1 → 2: the file is checked and previewed, then the details form opens. */
  async chooseFile(file: string) {
    const another = this.page.getByRole("button", { name: "Upload another video" });
    if (await another.isVisible()) await another.click();
    await this.fileInput.setInputFiles(file);
    await this.page.getByRole("button", { name: "Next", exact: true }).click();
  }

  async fillDetails(details: VideoDetails) {
    const form = this.detailsForm;
    await form.getByLabel("Title").fill(details.title);
    if (details.description) await form.getByLabel("Description").fill(details.description);
    if (details.tags) await form.getByLabel("Tags").fill(details.tags);
    if (details.difficulty) await form.getByLabel("Difficulty").selectOption(details.difficulty);
    if (details.language) await form.getByLabel("Language").fill(details.language);
    if (details.lesson) await form.getByLabel("Lesson").selectOption({ label: details.lesson });
  }

  async startUpload() {
    await this.detailsForm.getByRole("button", { name: "Upload", exact: true }).click();
  }

  /** The whole wizard: file, details, upload, and the video listed. */
  async uploadVideo(file: string, details: VideoDetails) {
    await this.chooseFile(file);
    await this.fillDetails(details);
    await this.startUpload();
    await expect(this.uploadedMessage).toBeVisible({ timeout: 60_000 });
    await expect(this.video(details.title)).toBeVisible();
  }

  /** The upload queue of a batch (many files at once) and its rows, one per file (named by file name). */
  get queue() {
    return this.page.getByRole("region", { name: "Upload queue" });
  }
  queued(fileName: string): Locator {
    return this.queue.getByRole("listitem", { name: fileName, exact: true });
  }
  get pendingUploads() {
    return this.page.getByRole("region", { name: "Unfinished uploads" });
  }

  /** Drops files made in the page itself (`size` bytes each, a pattern per file) onto the wizard's drop zone. */
  async dropFiles(files: { name: string; size: number }[]) {
    const transfer = await this.page.evaluateHandle((list) => {
      const data = new DataTransfer();
      for (const [index, { name, size }] of list.entries()) {
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i += 4096) bytes[i] = (i / 4096 + index) % 251;
        data.items.add(new File([bytes], name, { type: "video/mp4", lastModified: 1_700_000_000_000 + index }));
      }
      return data;
    }, files);
    await this.page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer: transfer });
  }

  /**
   * Records, from now on, the most rows of the queue ever uploading (or paused mid-way) at once: the files that hold
   * an upload slot.
   */
  async recordQueueConcurrency() {
    await this.page.evaluate(() => {
      const state = { max: 0 };
      (window as unknown as { lecternQueue: { max: number } }).lecternQueue = state;
      const count = () => {
        const now = document.querySelectorAll('.queue-item[data-status="uploading"], .queue-item[data-status="paused"]').length;
        state.max = Math.max(state.max, now);
      };
      new MutationObserver(count).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
    });
    return () => this.page.evaluate(() => (window as unknown as { lecternQueue: { max: number } }).lecternQueue.max);
  }

  /** The upload bar's value (strictly between 0 and 100?) and the speed shown, read at the same moment. */
  progressSnapshot() {
    return this.page.evaluate(() => {
      const value = Number(document.querySelector('[role="progressbar"][aria-label="Upload progress"]')?.getAttribute("aria-valuenow"));
      return { inPart: value > 0 && value < 100, speed: document.querySelector('[data-testid="upload-speed"]')?.textContent ?? "" };
    });
  }

  /** Records every aria-valuenow the upload progress bar takes, for assertions after it is gone. */
  async recordProgress() {
    await this.page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { lecternProgress: number[] }).lecternProgress = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"][aria-label="Upload progress"]');
        const value = Number(bar?.getAttribute("aria-valuenow"));
        if (bar && seen.at(-1) !== value) seen.push(value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"] });
    });
    return () => this.page.evaluate(() => (window as unknown as { lecternProgress: number[] }).lecternProgress);
  }
}
