import { randomUUID } from "node:crypto";
import { expect, SEED_PASSWORD, test } from "./fixtures";
import { invitationLink, waitForMail } from "./mail";
import { InvitationPage, MembersPage } from "./pages/members-page";

test.describe("members and invitations", () => {
  test("an owner invites an editor by email: the message arrives with a working link", async ({ page, signInAs, coursePage, freshCourse }) => {
    const members = new MembersPage(page);
    const email = `editor-${randomUUID().slice(0, 8)}@example.com`;
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await members.openFromCourse();
    await expect(members.memberRow("Ivy Instructor")).toContainText("Owner");
    // Owners are offered every role.
    await expect(page.getByRole("form", { name: "Invite someone" }).getByLabel("Role", { exact: true }).getByRole("option")).toHaveText(["Owner", "Instructor", "Editor", "Viewer"]);
    await members.invite(email, "Editor");
    await expect(members.status).toContainText(`Invited ${email} as editor.`);
    const shown = await members.linkFor(email).inputValue();
    await expect(members.pendingRow(email)).toContainText("Editor");

    const message = await waitForMail(email);
    expect(message.subject).toBe(`You're invited to “${freshCourse.title}” on Lectern`);
    expect(invitationLink(message)).toBe(shown);
    await expect(members.pendingRow(email)).toContainText("Sent", { timeout: 15_000 });

    // Inviting the address again gives the same invitation.
    await members.invite(email.toUpperCase(), "Editor");
    await expect(members.status).toContainText(`${email} already had a pending invitation`);
    expect(await members.linkFor(email).inputValue()).toBe(shown);
  });

  test("a new student gets a class-list invitation, signs up through the link and lands on the course", async ({ page, browser, signInAs, coursePage, freshCourse }) => {
    const members = new MembersPage(page);
    const tag = randomUUID().slice(0, 8);
    const student = `jane-${tag}@example.com`;
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await members.openFromCourse();
    await members.inviteClass(`Jane Student <${student}>; "Roe, Rick" <rick-${tag}@example.com>\nnot-an-address, student@example.com`, "Viewer");
    await expect(members.resultOf(student)).toHaveText("Invited");
    await expect(members.resultOf(`rick-${tag}@example.com`)).toHaveText("Invited");
    await expect(members.resultOf("student@example.com")).toHaveText("Already a member");
    await expect(members.resultOf("not-an-address")).toHaveText(/^Invalid: /);
    await expect(members.pendingRow(student)).toBeVisible();
    const link = invitationLink(await waitForMail(student));

    // The student's own browser, signed out.
    const context = await browser.newContext();
    const studentPage = await context.newPage();
    const invitation = new InvitationPage(studentPage);
    await invitation.goto(link);
    await expect(invitation.heading).toHaveText(`Join ${freshCourse.title}`);
    await expect(studentPage.getByText(`invited ${student} to join ${freshCourse.title} as a viewer (student)`)).toBeVisible();
    await expect(studentPage.getByLabel("Email")).toHaveValue(student);
    await invitation.signUp("Jane Student", "short");
    await expect(studentPage.getByText("Use at least 10 characters.")).toBeVisible();
    await invitation.signUp("Jane Student", "a long enough password");
    await expect(studentPage.getByRole("heading", { name: freshCourse.title, level: 1 })).toBeVisible();
    await expect(studentPage.getByLabel("Your role: viewer")).toBeVisible();
    await expect(studentPage.getByRole("link", { name: "Members and invitations" })).toHaveCount(0);

    // The link worked once.
    await invitation.goto(link);
    await expect(invitation.heading).toHaveText("This invitation has already been used");
    await context.close();

    await page.reload();
    await expect(members.memberRow("Jane Student")).toContainText("Viewer");
    await expect(members.pendingRow(student)).toHaveCount(0);
  });

  test("signed in as another address the invitation is refused, with a way to sign out; an existing user signs in and joins", async ({ page, signInAs, signInPage, coursePage, freshCourse, freshUser, sql }) => {
    const members = new MembersPage(page);
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    await members.openFromCourse();
    await members.invite(freshUser.email, "Viewer");
    const link = await members.linkFor(freshUser.email).inputValue();

    // Still signed in as the owner: refused, clearly.
    const invitation = new InvitationPage(page);
    await invitation.goto(link);
    await expect(invitation.alert).toContainText(`You are signed in as instructor@example.com, but this invitation is for ${freshUser.email}.`);
    await expect(page.getByRole("button", { name: `Join ${freshCourse.title}` })).toHaveCount(0);
    await page.getByRole("main").getByRole("button", { name: "Sign out" }).click();

    // Signed out, back on the invitation: the account exists, so sign in, come back, join.
    await expect(page.getByRole("link", { name: "Sign in to join" })).toBeVisible();
    await page.getByRole("link", { name: "Sign in to join" }).click();
    await signInPage.signIn(freshUser.email, SEED_PASSWORD);
    await page.getByRole("button", { name: `Join ${freshCourse.title}` }).click();
    await expect(page.getByRole("heading", { name: freshCourse.title, level: 1 })).toBeVisible();
    await expect(page.getByLabel("Your role: viewer")).toBeVisible();
    const [row] = await sql`select role from course_members where course_id = ${freshCourse.id} and user_id = ${freshUser.id}`;
    expect(row?.role).toBe("viewer");
  });

  test("an expired link and a broken link each say so", async ({ page, signInAs, coursePage, freshCourse, sql }) => {
    const invitation = new InvitationPage(page);
    await signInAs("instructor");
    await coursePage.goto(freshCourse.id);
    const members = new MembersPage(page);
    await members.openFromCourse();
    const email = `late-${randomUUID().slice(0, 8)}@example.com`;
    await members.invite(email, "Viewer");
    const link = await members.linkFor(email).inputValue();
    await sql`update course_invitations set expires_at = now() - interval '1 minute' where email = ${email}`;
    await invitation.goto(link);
    await expect(invitation.heading).toHaveText("This invitation has expired");
    await invitation.goto(link.replace(/.{4}$/, "xxxx"));
    await expect(invitation.heading).toHaveText("This invitation link is not valid");
  });

  test("an instructor is offered only editor and viewer, and cannot change the owner", async ({ page, signInAs, freshCourse, sql }) => {
    await sql`update course_members set role = 'instructor' where course_id = ${freshCourse.id} and user_id = (select id from users where email = 'editor@example.com')`;
    await signInAs("editor");
    await page.goto(`/courses/${freshCourse.id}/members`);
    const members = new MembersPage(page);
    await expect(page.getByRole("form", { name: "Invite someone" }).getByLabel("Role", { exact: true }).getByRole("option")).toHaveText(["Editor", "Viewer"]);
    const owner = members.members.getByRole("row").filter({ hasText: "instructor@example.com" });
    await expect(owner.getByRole("combobox")).toHaveCount(0);
    await expect(owner.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
    const student = members.members.getByRole("row").filter({ hasText: "student@example.com" });
    await expect(student.getByRole("combobox")).toBeVisible();
    await expect(student.getByRole("combobox").getByRole("option")).toHaveText(["Editor", "Viewer"]);
    await student.getByRole("combobox").selectOption({ label: "Editor" });
    await expect.poll(async () => (await sql`select role from course_members where course_id = ${freshCourse.id} and user_id = (select id from users where email = 'student@example.com')`)[0]?.role).toBe("editor");
  });
});
