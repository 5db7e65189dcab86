import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { acceptInvitation, inviteMember, inviteMembers, listPendingInvitations, previewInvitation, revokeInvitation } from "@/lib/courses/invitations";
import { signUpWithInvitation } from "@/lib/courses/invitation-sign-up";
import { setCourseArchived } from "@/lib/courses/courses";
import { changeMemberRole, listMembers, removeMember } from "@/lib/courses/members";
import { createCourseWorld, createUser } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

const database = testDatabase();
const sql = database.sql;
afterAll(() => database.close());

const ORIGIN = "http://lectern.test";
const tokenOf = (url: string | null | undefined) => new URL(url ?? "").pathname.split("/").at(-1) ?? "";

describe("invitations", () => {
  it("invites an address: a link on the public origin, only the token's hash stored, 14 days", async () => {
    const world = await createCourseWorld(sql);
    const { created, invitation } = await inviteMember({ actor: world.first("owner"), courseId: world.courseId, email: `New-${world.tag}@Example.com`, role: "editor", origin: ORIGIN, sendEmails: false });
    expect(created).toBe(true);
    expect(invitation).toMatchObject({ email: `new-${world.tag}@example.com`, role: "editor", url: expect.stringMatching(/^http:\/\/lectern\.test\/invitations\/lci_[\w-]{43}$/) });
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
    const [row] = await sql`select * from course_invitations where id = ${invitation.id}`;
    const token = tokenOf(invitation.url);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("re-inviting a pending address (any case) returns the same invitation; members and bad addresses are reported", async () => {
    const world = await createCourseWorld(sql);
    const owner = world.first("owner");
    const first = await inviteMember({ actor: owner, courseId: world.courseId, email: `a-${world.tag}@example.com`, role: "viewer", origin: ORIGIN, sendEmails: false });
    const again = await inviteMember({ actor: owner, courseId: world.courseId, email: `A-${world.tag}@EXAMPLE.com`, role: "viewer", origin: ORIGIN, sendEmails: false });
    expect(again).toEqual({ created: false, invitation: first.invitation });
    await expect(inviteMember({ actor: owner, courseId: world.courseId, email: world.first("editor").email.toUpperCase(), role: "viewer", origin: ORIGIN })).rejects.toMatchObject({ status: 409 });
    const bulk = await inviteMembers({
      actor: owner,
      courseId: world.courseId,
      emails: [`a-${world.tag}@example.com`, "not an address", world.first("viewer").email, `b-${world.tag}@example.com`, `B-${world.tag}@example.com`],
      role: "viewer",
      origin: ORIGIN,
      sendEmails: false,
    });
    expect(bulk.results.map(({ email, status }) => [email, status])).toEqual([
      ["not an address", "invalid"],
      [`a-${world.tag}@example.com`, "pending"],
      [world.first("viewer").email, "member"],
      [`b-${world.tag}@example.com`, "invited"],
    ]);
    expect(bulk.results[1]?.invitation?.id).toBe(first.invitation.id);
    expect(bulk.counts).toEqual({ invited: 1, pending: 1, member: 1, invalid: 1 });
  });

  it("an archived course is read-only for its members too: no invitations, joins or role changes; leaving still works", async () => {
    const world = await createCourseWorld(sql);
    const owner = world.first("owner");
    const invitee = await createUser(sql, `archived-invitee-${world.tag}`);
    const { invitation } = await inviteMember({ actor: owner, courseId: world.courseId, email: invitee.email, role: "viewer", origin: ORIGIN, sendEmails: false });
    await setCourseArchived({ actor: owner, courseId: world.courseId, archived: true });
    const archived = { status: 409, code: "course_archived" };
    await expect(inviteMember({ actor: owner, courseId: world.courseId, email: `late-${world.tag}@example.com`, role: "viewer", origin: ORIGIN, sendEmails: false })).rejects.toMatchObject(archived);
    await expect(inviteMembers({ actor: owner, courseId: world.courseId, emails: [`late-${world.tag}@example.com`], role: "viewer", origin: ORIGIN, sendEmails: false })).rejects.toMatchObject(archived);
    await expect(acceptInvitation({ user: invitee, token: tokenOf(invitation.url) })).rejects.toMatchObject(archived);
    await expect(changeMemberRole({ actor: owner, courseId: world.courseId, userId: world.first("viewer").id, role: "editor" })).rejects.toMatchObject(archived);
    await expect(removeMember({ actor: owner, courseId: world.courseId, userId: world.first("viewer").id })).rejects.toMatchObject(archived);
    await removeMember({ actor: world.first("editor"), courseId: world.courseId, userId: world.first("editor").id });
    expect((await listMembers({ actor: owner, courseId: world.courseId })).map((member) => member.userId)).not.toContain(world.first("editor").id);
    await setCourseArchived({ actor: owner, courseId: world.courseId, archived: false });
    await expect(acceptInvitation({ user: invitee, token: tokenOf(invitation.url) })).resolves.toMatchObject({ joined: true });
  });

  it("refuses roles the inviter may not hand out (403) and strangers (404)", async () => {
    const world = await createCourseWorld(sql);
    const email = `x-${world.tag}@example.com`;
    await expect(inviteMember({ actor: world.first("instructor"), courseId: world.courseId, email, role: "instructor", origin: ORIGIN })).rejects.toMatchObject({ status: 403 });
    await expect(inviteMember({ actor: world.first("editor"), courseId: world.courseId, email, role: "viewer", origin: ORIGIN })).rejects.toMatchObject({ status: 403 });
    await expect(inviteMember({ actor: world.outsider, courseId: world.courseId, email, role: "viewer", origin: ORIGIN })).rejects.toMatchObject({ status: 404 });
    expect((await inviteMember({ actor: world.first("instructor"), courseId: world.courseId, email, role: "editor", origin: ORIGIN, sendEmails: false })).created).toBe(true);
  });

  it("accepting: the invited address joins once; another address is refused; used, revoked and expired links are gone (410)", async () => {
    const world = await createCourseWorld(sql);
    const owner = world.first("owner");
    const invitee = await createUser(sql, `Invitee-${world.tag}`);
    const { invitation } = await inviteMember({ actor: owner, courseId: world.courseId, email: invitee.email, role: "editor", origin: ORIGIN, sendEmails: false });
    const token = tokenOf(invitation.url);
    expect(await previewInvitation({ token })).toMatchObject({ state: "pending", courseTitle: world.title, role: "editor", inviter: { email: owner.email }, accountExists: true });
    await expect(acceptInvitation({ user: world.outsider, token })).rejects.toMatchObject({ status: 403, message: expect.stringContaining(invitee.email.toLowerCase()) });
    // Two clicks at once: one joins, the other finds the link used.
    const both = await Promise.allSettled([acceptInvitation({ user: { ...invitee, email: invitee.email.toUpperCase() }, token }), acceptInvitation({ user: invitee, token })]);
    expect(both.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(both.find((outcome) => outcome.status === "rejected")).toMatchObject({ reason: { status: 410, details: { state: "accepted" } } });
    expect((await listMembers({ actor: owner, courseId: world.courseId })).find((member) => member.userId === invitee.id)?.role).toBe("editor");
    expect((await previewInvitation({ token }))?.state).toBe("accepted");

    const revoked = await inviteMember({ actor: owner, courseId: world.courseId, email: `r-${world.tag}@example.com`, role: "viewer", origin: ORIGIN, sendEmails: false });
    await revokeInvitation({ actor: owner, invitationId: revoked.invitation.id, origin: ORIGIN });
    await revokeInvitation({ actor: owner, invitationId: revoked.invitation.id, origin: ORIGIN });
    await expect(acceptInvitation({ user: world.outsider, token: tokenOf(revoked.invitation.url) })).rejects.toMatchObject({ status: 410, details: { state: "revoked" } });

    const expired = await inviteMember({ actor: owner, courseId: world.courseId, email: world.outsider.email, role: "viewer", origin: ORIGIN, sendEmails: false });
    await sql`update course_invitations set expires_at = now() - interval '1 second' where id = ${expired.invitation.id}`;
    await expect(acceptInvitation({ user: world.outsider, token: tokenOf(expired.invitation.url) })).rejects.toMatchObject({ status: 410, details: { state: "expired" } });
    // Inviting the address again opens a new invitation in place of the expired one.
    const renewed = await inviteMember({ actor: owner, courseId: world.courseId, email: world.outsider.email, role: "viewer", origin: ORIGIN, sendEmails: false });
    expect(renewed.created).toBe(true);
    expect(renewed.invitation.id).not.toBe(expired.invitation.id);
    expect(await acceptInvitation({ user: world.outsider, token: tokenOf(renewed.invitation.url) })).toMatchObject({ courseId: world.courseId, role: "viewer", joined: true });

    await expect(acceptInvitation({ user: world.outsider, token: "lci_" + "x".repeat(43) })).rejects.toMatchObject({ status: 404 });
    await expect(acceptInvitation({ user: world.outsider, token: "garbage" })).rejects.toMatchObject({ status: 404 });
  });

  it("a link works once even when clicked twice at the same moment", async () => {
    // Ten links, each accepted twice at once: without the invitation's row lock both clicks of a pair would join.
    const worlds = await Promise.all(Array.from({ length: 10 }, () => createCourseWorld(sql, ["owner"])));
    const links = await Promise.all(
      worlds.map(async (world) => {
        const user = await createUser(sql, `twice-${world.tag}`);
        const { invitation } = await inviteMember({ actor: world.first("owner"), courseId: world.courseId, email: user.email, role: "viewer", origin: ORIGIN, sendEmails: false });
        return { user, token: tokenOf(invitation.url) };
      }),
    );
    const outcomes = await Promise.allSettled(links.flatMap(({ user, token }) => [acceptInvitation({ user, token }), acceptInvitation({ user, token })]));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(10);
    for (const outcome of outcomes) if (outcome.status === "rejected") expect(outcome.reason).toMatchObject({ status: 410, details: { state: "accepted" } });
  });

  it("lists pending invitations newest first, links only where the caller may hand them out; revoking follows the same rule", async () => {
    const world = await createCourseWorld(sql);
    const owner = world.first("owner");
    const instructor = world.first("instructor");
    const forOwner = await inviteMember({ actor: owner, courseId: world.courseId, email: `o-${world.tag}@example.com`, role: "owner", origin: ORIGIN, sendEmails: false });
    const forEditor = await inviteMember({ actor: instructor, courseId: world.courseId, email: `e-${world.tag}@example.com`, role: "editor", origin: ORIGIN, sendEmails: false });
    const stale = await inviteMember({ actor: owner, courseId: world.courseId, email: `s-${world.tag}@example.com`, role: "viewer", origin: ORIGIN, sendEmails: false });
    await sql`update course_invitations set expires_at = now() - interval '1 second' where id = ${stale.invitation.id}`;
    const seenByInstructor = await listPendingInvitations({ actor: instructor, courseId: world.courseId, origin: ORIGIN });
    expect(seenByInstructor.map((item) => [item.email, item.url === null])).toEqual([
      [`e-${world.tag}@example.com`, false],
      [`o-${world.tag}@example.com`, true],
    ]);
    expect(seenByInstructor[0]?.invitedBy).toEqual({ name: instructor.name, email: instructor.email });
    await expect(listPendingInvitations({ actor: world.first("editor"), courseId: world.courseId, origin: ORIGIN })).rejects.toMatchObject({ status: 403 });
    await expect(revokeInvitation({ actor: instructor, invitationId: forOwner.invitation.id, origin: ORIGIN })).rejects.toMatchObject({ status: 403 });
    await expect(revokeInvitation({ actor: world.outsider, invitationId: forOwner.invitation.id, origin: ORIGIN })).rejects.toMatchObject({ status: 404 });
    await expect(revokeInvitation({ actor: owner, invitationId: randomUUID(), origin: ORIGIN })).rejects.toMatchObject({ status: 404 });
    await revokeInvitation({ actor: instructor, invitationId: forEditor.invitation.id, origin: ORIGIN });
    expect((await listPendingInvitations({ actor: owner, courseId: world.courseId, origin: ORIGIN })).map((item) => item.email)).toEqual([`o-${world.tag}@example.com`]);
  });

  it("invites 500 addresses at once in one transaction", async () => {
    const world = await createCourseWorld(sql);
    const emails = Array.from({ length: 500 }, (_, index) => `student${index}-${world.tag}@example.com`);
    const started = performance.now();
    const bulk = await inviteMembers({ actor: world.first("owner"), courseId: world.courseId, emails, role: "viewer", origin: ORIGIN, sendEmails: false });
    console.log(`[bulk] 500 invitations in ${Math.round(performance.now() - started)} ms`);
    expect(bulk.counts).toEqual({ invited: 500, pending: 0, member: 0, invalid: 0 });
    expect(new Set(bulk.results.map((result) => result.invitation?.id)).size).toBe(500);
    const again = await inviteMembers({ actor: world.first("owner"), courseId: world.courseId, emails, role: "viewer", origin: ORIGIN, sendEmails: false });
    expect(again.counts).toEqual({ invited: 0, pending: 500, member: 0, invalid: 0 });
    expect(await listPendingInvitations({ actor: world.first("owner"), courseId: world.courseId, origin: ORIGIN })).toHaveLength(500);
  });

  it("signs a new person up for the invited address and joins; throttled like sign-in", async () => {
    const world = await createCourseWorld(sql);
    const email = `fresh-${world.tag}@example.com`;
    const { invitation } = await inviteMember({ actor: world.first("owner"), courseId: world.courseId, email, role: "viewer", origin: ORIGIN, sendEmails: false });
    const token = tokenOf(invitation.url);
    expect((await previewInvitation({ token }))?.accountExists).toBe(false);
    expect(await signUpWithInvitation({ token, name: "Fresh Student", password: "correct horse battery", address: undefined })).toEqual({ email, courseId: world.courseId });
    const [user] = await sql`select name, password_hash, email_verified from users where email = ${email}`;
    expect(user).toMatchObject({ name: "Fresh Student", password_hash: expect.stringMatching(/^\$argon2id\$/), email_verified: expect.anything() });
    expect((await listMembers({ actor: world.first("owner"), courseId: world.courseId })).find((member) => member.email === email)?.role).toBe("viewer");
    await expect(signUpWithInvitation({ token, name: "Again", password: "correct horse battery", address: undefined })).rejects.toMatchObject({ status: 409 });

    const limits = { accountLimit: 2, addressLimit: 50, windowSeconds: 60 };
    const other = await inviteMember({ actor: world.first("owner"), courseId: world.courseId, email: `t-${world.tag}@example.com`, role: "viewer", origin: ORIGIN, sendEmails: false });
    await sql`update course_invitations set expires_at = now() - interval '1 second' where id = ${other.invitation.id}`;
    const attempt = () => signUpWithInvitation({ token: tokenOf(other.invitation.url), name: "T", password: "correct horse battery", address: "203.0.113.9", limits });
    await expect(attempt()).rejects.toMatchObject({ status: 410 });
    await expect(attempt()).rejects.toMatchObject({ status: 410 });
    await expect(attempt()).rejects.toMatchObject({ status: 429, details: { retryAfterSeconds: expect.any(Number) } });
    expect(await sql`select 1 from users where email = ${`t-${world.tag}@example.com`}`).toHaveLength(0);
  });
});
