import { expect, type Page } from "@playwright/test";

/** A course's members page: members, the invite forms, pending invitations. */
export class MembersPage {
  constructor(readonly page: Page) {}

  /** From the course page, through its link. */
  async openFromCourse() {
    await this.page.getByRole("link", { name: "Members and invitations" }).click();
    await expect(this.page.getByRole("heading", { name: /^Members of /, level: 1 })).toBeVisible();
  }

  get members() {
    return this.page.getByRole("table", { name: "Members" });
  }
  get pending() {
    return this.page.getByRole("table", { name: "Pending invitations" });
  }
  pendingRow(email: string) {
    return this.pending.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name: email, exact: true }) });
  }
  memberRow(name: string) {
    return this.members.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name }) });
  }

  async invite(email: string, role: string) {
    const form = this.page.getByRole("form", { name: "Invite someone" });
    await form.getByLabel("Email address").fill(email);
    await form.getByLabel("Role", { exact: true }).selectOption({ label: role });
    await form.getByRole("button", { name: "Send invitation" }).click();
  }

  async inviteClass(list: string, role: string) {
    const form = this.page.getByRole("form", { name: "Invite a class" });
    await form.getByLabel("Class list").fill(list);
    await form.getByLabel("Role for everyone").selectOption({ label: role });
    await form.getByRole("button", { name: "Invite all" }).click();
  }

  /** The link shown after inviting one address. */
  linkFor(email: string) {
    return this.page.getByRole("textbox", { name: `Invitation link for ${email}` });
  }

  get results() {
    return this.page.getByRole("table", { name: "Invitation results" });
  }
  resultOf(address: string) {
    return this.results.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name: address, exact: true }) }).getByRole("cell");
  }
  get status() {
    return this.page.getByRole("status").filter({ hasText: /\S/ });
  }
  get alert() {
    return this.page.getByRole("alert").filter({ hasText: /\S/ });
  }
}

/** The page an invitation link opens. */
export class InvitationPage {
  constructor(readonly page: Page) {}

  async goto(url: string) {
    await this.page.goto(new URL(url).pathname);
  }
  get heading() {
    return this.page.getByRole("heading", { level: 1 });
  }
  async signUp(name: string, password: string) {
    const form = this.page.getByRole("form", { name: "Create your account" });
    await form.getByLabel("Your name").fill(name);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "Create account and join" }).click();
  }
  get alert() {
    return this.page.getByRole("alert").filter({ hasText: /\S/ });
  }
}
