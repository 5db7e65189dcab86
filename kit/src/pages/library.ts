import { expect, type Locator, type Page } from "@playwright/test";

/** A course's video library (the list on its page). */
export class Library {
  constructor(readonly page: Page) {}

  async goto(courseId: string) {
    await this.page.goto(`/courses/${courseId}`);
    await expect(this.page.getByRole("heading", { name: "Videos", level: 2 })).toBeVisible();
  }

  get list(): Locator {
    return this.page.getByRole("list", { name: "Videos" });
  }
  video(title: string): Locator {
    return this.list.getByRole("listitem", { name: title, exact: true });
  }
  /** The controls only uploaders get: the wizard's file input. */
  get uploadControls(): Locator {
    return this.page.getByLabel("Video file");
  }

  /** The id of a listed video, from its "Open …" link. */
  async videoId(title: string): Promise<string> {
    const href = await this.page.getByRole("link", { name: `Open ${title}`, exact: true }).getAttribute("href");
    const id = /\/videos\/([0-9a-f-]{36})/.exec(href ?? "")?.[1];
    if (!id) throw new Error(`No video "${title}" in the library (link ${href ?? "missing"}).`);
    return id;
  }

  async open(title: string) {
    await this.page.getByRole("link", { name: `Open ${title}`, exact: true }).click();
    await this.page.waitForURL(/\/videos\/[0-9a-f-]{36}/);
  }
}
