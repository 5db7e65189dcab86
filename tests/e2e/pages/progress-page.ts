import { expect, type Page } from "@playwright/test";

/** A course's Progress page: learners × videos (owners and instructors). */
export class ProgressPage {
  constructor(readonly page: Page) {}

  async goto(courseId: string) {
    await this.page.goto(`/courses/${courseId}/progress`);
    await expect(this.page.getByRole("heading", { name: /^Progress in /, level: 1 })).toBeVisible();
  }
  /** From the course page, through its link. */
  async openFromCourse() {
    await this.page.getByRole("link", { name: "Progress", exact: true }).click();
    await expect(this.page.getByRole("heading", { name: /^Progress in /, level: 1 })).toBeVisible();
  }
  get table() {
    return this.page.getByRole("table", { name: "Learners' progress" });
  }
  row(learner: string) {
    return this.table.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name: learner }) });
  }
  columnHeader(name: string) {
    return this.table.getByRole("columnheader", { name });
  }
  async sortBy(name: string) {
    await this.columnHeader(name).getByRole("button").click();
  }
  get downloadCsv() {
    return this.page.getByRole("link", { name: "Download CSV" });
  }
  get refusal() {
    return this.page.getByRole("alert").filter({ hasText: "Only the course's owners and instructors" });
  }
}
