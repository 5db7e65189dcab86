import { expect, type Page } from "@playwright/test";

export class CoursesPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/courses");
    await this.expectLoaded();
  }

  async expectLoaded() {
    await expect(this.page.getByRole("heading", { name: "My courses", level: 1 })).toBeVisible();
  }

  course(title: string) {
    return this.page.getByRole("list", { name: "Courses" }).getByRole("listitem").filter({ has: this.page.getByRole("link", { name: title }) });
  }

  async open(title: string) {
    await this.page.getByRole("link", { name: title }).click();
    await expect(this.page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(this.page).toHaveURL(/\/sign-in/);
  }

  async signOutEverywhere() {
    await this.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(this.page).toHaveURL(/\/sign-in/);
  }
}
