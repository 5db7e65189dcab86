import { expect, type Page } from "@playwright/test";

export class TokensPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "API tokens" }).click();
    await this.expectLoaded();
  }

  async expectLoaded() {
    await expect(this.page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
  }

  async create(name: string, expiresAfter: string) {
    await this.page.getByLabel("Token name").fill(name);
    await this.page.getByLabel("Expires after").selectOption({ label: expiresAfter });
    await this.page.getByRole("button", { name: "Create token" }).click();
  }

  /** The token shown once after creating it. */
  get createdToken() {
    return this.page.getByRole("region", { name: /created$/ }).getByLabel("New API token");
  }

  get table() {
    return this.page.getByRole("table", { name: "Your API tokens" });
  }

  row(name: string) {
    return this.table.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name, exact: true }) });
  }

  /** The row's cell under a column heading (Created, Last used, Expires, Status). */
  cell(name: string, column: "Created" | "Last used" | "Expires" | "Status") {
    const index = ["Name", "Created", "Last used", "Expires", "Status"].indexOf(column);
    return this.row(name).locator("th, td").nth(index);
  }

  async revoke(name: string) {
    this.page.once("dialog", (dialog) => void dialog.accept());
    await this.row(name).getByRole("button", { name: `Revoke ${name}` }).click();
  }

  get alert() {
    return this.page.getByRole("alert").filter({ hasText: /\S/ });
  }
}
