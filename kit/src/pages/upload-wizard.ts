import { expect, type Locator, type Page } from "@playwright/test";

export type WizardDetails = { title: string; description?: string; tags?: string; lesson?: string };

/** A course page's upload wizard (owners and instructors): file, preview, details, upload. Roles and labels only. */
export class UploadWizard {
  constructor(readonly page: Page) {}

  async goto(courseId: string) {
    await this.page.goto(`/courses/${courseId}`);
    await expect(this.page.getByRole("heading", { name: "Videos", level: 2 })).toBeVisible();
  }

  /** The file input; a viewer's or editor's course page has none. */
  get fileInput(): Locator {
    return this.page.getByLabel("Video file");
  }
  get detailsForm(): Locator {
    return this.page.getByRole("form", { name: "Video details" });
  }
  get progressBar(): Locator {
    return this.page.getByRole("progressbar", { name: "Upload progress", exact: true });
  }
  get uploadedMessage(): Locator {
    return this.page.getByRole("status").filter({ hasText: "Uploaded" });
  }
  /** "The upload stopped: …". */
  get failure(): Locator {
    return this.page.getByRole("alert").filter({ hasText: "The upload stopped" });
  }

  async chooseFile(file: string) {
    const another = this.page.getByRole("button", { name: "Upload another video" });
    if (await another.isVisible()) await another.click();
    await this.fileInput.setInputFiles(file);
    await this.page.getByRole("button", { name: "Next", exact: true }).click();
  }

  async fillDetails(details: WizardDetails) {
    const form = this.detailsForm;
    await form.getByLabel("Title").fill(details.title);
    if (details.description) await form.getByLabel("Description").fill(details.description);
    if (details.tags) await form.getByLabel("Tags").fill(details.tags);
    if (details.lesson) await form.getByLabel("Lesson").selectOption({ label: details.lesson });
  }

  /** The whole wizard, until it says "Uploaded". */
  async upload(file: string, details: WizardDetails, { timeoutMs = 120_000 }: { timeoutMs?: number } = {}) {
    await this.chooseFile(file);
    await this.fillDetails(details);
    await this.detailsForm.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(this.uploadedMessage.or(this.failure)).toBeVisible({ timeout: timeoutMs });
    await expect(this.failure).toBeHidden();
  }
}
