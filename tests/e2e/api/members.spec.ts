import { randomUUID } from "node:crypto";
import type { BulkInviteResult, InvitationDto, MemberDto } from "@/lib/courses/member-schemas";
import { invitationLink, waitForMail } from "../mail";
import { expect, test } from "./world";

const tokenOf = (url: string | null | undefined) => new URL(url ?? "").pathname.split("/").at(-1) ?? "";

test.describe("members", () => {
  test("GET lists name, email, role and joined, owners first, for owners and instructors; 403 for editors and viewers, 404 for strangers", async ({ api, world }) => {
    const listed = await api.call<MemberDto[]>("GET", `/courses/${world.courseId}/members`, { as: world.users.instructor });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((member) => member.role)).toEqual(["owner", "instructor", "editor", "viewer"]);
    expect(listed.body.data[0]).toEqual({ userId: world.users.owner.id, name: "owner", email: world.users.owner.email, role: "owner", joinedAt: expect.any(String) });
    for (const as of [world.users.editor, world.users.viewer]) {
      expect((await api.call("GET", `/courses/${world.courseId}/members`, { as })).body.error?.code).toBe("forbidden");
    }
    expect((await api.call("GET", `/courses/${world.courseId}/members`, { as: world.users.outsider })).status).toBe(404);
    expect((await api.call("GET", `/courses/not-a-uuid/members`, { as: world.users.owner })).status).toBe(404);
  });

  test("PATCH changes roles by policy; bad input 400; the last owner stays (409)", async ({ api, world }) => {
    const { owner, instructor, editor, viewer, outsider } = world.users;
    const path = (userId: string) => `/courses/${world.courseId}/members/${userId}`;
    const changed = await api.call<MemberDto>("PATCH", path(editor.id), { as: instructor, body: { role: "viewer" } });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ userId: editor.id, role: "viewer" });
    expect((await api.call("PATCH", path(viewer.id), { as: instructor, body: { role: "instructor" } })).status).toBe(403);
    expect((await api.call("PATCH", path(owner.id), { as: instructor, body: { role: "viewer" } })).status).toBe(403);
    expect((await api.call("PATCH", path(viewer.id), { as: editor, body: { role: "viewer" } })).status).toBe(403);
    const bad = await api.call("PATCH", path(viewer.id), { as: owner, body: { role: "admin" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "validation_error", details: { fieldErrors: { role: [expect.any(String)] } } });
    expect((await api.call("PATCH", path(viewer.id), { as: owner, body: "{nope" })).status).toBe(400);
    const last = await api.call("PATCH", path(owner.id), { as: owner, body: { role: "instructor" } });
    expect(last.status).toBe(409);
    expect(last.body.error).toMatchObject({ code: "conflict", details: { reason: "last_owner" } });
    expect((await api.call("PATCH", path(viewer.id), { as: outsider, body: { role: "viewer" } })).status).toBe(404);
    expect((await api.call("PATCH", path(outsider.id), { as: owner, body: { role: "viewer" } })).status).toBe(404);
    expect((await api.call("PATCH", path(instructor.id), { as: owner, body: { role: "owner" } })).body.data).toMatchObject({ role: "owner" });
    expect((await api.call("PATCH", path(owner.id), { as: owner, body: { role: "instructor" } })).status).toBe(200);
  });

  test("DELETE removes by policy, lets members leave, never the last owner", async ({ api, world }) => {
    const { owner, instructor, editor, viewer, outsider } = world.users;
    const path = (userId: string) => `/courses/${world.courseId}/members/${userId}`;
    expect((await api.call("DELETE", path(owner.id), { as: instructor })).status).toBe(403);
    expect((await api.call("DELETE", path(viewer.id), { as: editor })).status).toBe(403);
    expect((await api.call("DELETE", path(viewer.id), { as: outsider })).status).toBe(404);
    expect((await api.call("DELETE", path(outsider.id), { as: owner })).status).toBe(404);
    expect((await api.call("DELETE", path(viewer.id), { as: instructor })).status).toBe(204);
    expect((await api.call("DELETE", path(editor.id), { as: editor })).status).toBe(204);
    const last = await api.call("DELETE", path(owner.id), { as: owner });
    expect(last.status).toBe(409);
    expect(last.body.error?.message).toMatch(/last owner/);
    expect((await api.call<MemberDto[]>("GET", `/courses/${world.courseId}/members`, { as: owner })).body.data.map((member) => member.role)).toEqual(["owner", "instructor"]);
  });
});

test.describe("invitations", () => {
  test("POST invites: 201 with id, email, role, expiresAt and a link; the same address again: 200 with the same invitation", async ({ api, world, baseURL }) => {
    const email = `Invitee-${randomUUID().slice(0, 8)}@Example.com`;
    const created = await api.call<InvitationDto>("POST", `/courses/${world.courseId}/invitations`, { as: world.users.owner, body: { email, role: "editor" } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ id: expect.any(String), email: email.toLowerCase(), role: "editor", expiresAt: expect.any(String), url: expect.stringMatching(new RegExp(`^${baseURL}/invitations/lci_[\\w-]{43}$`)) });
    const again = await api.call<InvitationDto>("POST", `/courses/${world.courseId}/invitations`, { as: world.users.instructor, body: { email: email.toUpperCase(), role: "editor" } });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ id: created.body.data.id, url: created.body.data.url });
  });

  test("POST refuses: wrong role 403 (instructor inviting an instructor, editor inviting anyone), bad input 400, strangers 404, members 409", async ({ api, world }) => {
    const path = `/courses/${world.courseId}/invitations`;
    const email = `x-${randomUUID().slice(0, 8)}@example.com`;
    const asInstructor = await api.call("POST", path, { as: world.users.instructor, body: { email, role: "instructor" } });
    expect(asInstructor.status).toBe(403);
    expect(asInstructor.body.error?.message).toMatch(/editors or viewers/);
    expect((await api.call("POST", path, { as: world.users.editor, body: { email, role: "viewer" } })).status).toBe(403);
    expect((await api.call("POST", path, { as: world.users.viewer, body: { email, role: "viewer" } })).status).toBe(403);
    const badEmail = await api.call("POST", path, { as: world.users.owner, body: { email: "not-an-address", role: "viewer" } });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error?.details).toEqual({ fieldErrors: { email: ["Enter a valid email address."] } });
    expect((await api.call("POST", path, { as: world.users.owner, body: { email, role: "admin" } })).status).toBe(400);
    expect((await api.call("POST", path, { as: world.users.owner, body: {} })).status).toBe(400);
    expect((await api.call("POST", path, { as: world.users.outsider, body: { email, role: "viewer" } })).status).toBe(404);
    const member = await api.call("POST", path, { as: world.users.owner, body: { email: world.users.viewer.email, role: "viewer" } });
    expect(member.status).toBe(409);
    expect(member.body.error?.details).toEqual({ reason: "already_member" });
  });

  test("POST /bulk gives a result per address; at most 500; the same roles rules", async ({ api, world }) => {
    const path = `/courses/${world.courseId}/invitations/bulk`;
    const tag = randomUUID().slice(0, 8);
    const first = await api.call<InvitationDto>("POST", `/courses/${world.courseId}/invitations`, { as: world.users.owner, body: { email: `p-${tag}@example.com`, role: "viewer" } });
    const bulk = await api.call<BulkInviteResult>("POST", path, {
      as: world.users.owner,
      body: { emails: [`n1-${tag}@example.com`, `P-${tag}@example.com`, world.users.editor.email, "Jane <broken", `n2-${tag}@example.com`], role: "viewer" },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.data.counts).toEqual({ invited: 2, pending: 1, member: 1, invalid: 1 });
    expect(bulk.body.data.results.find((result) => result.status === "pending")?.invitation?.id).toBe(first.body.data.id);
    expect(bulk.body.data.results.find((result) => result.status === "invalid")).toMatchObject({ email: "Jane <broken", message: expect.any(String) });
    const tooMany = await api.call("POST", path, { as: world.users.owner, body: { emails: Array.from({ length: 501 }, (_, index) => `s${index}@example.com`), role: "viewer" } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error?.details).toEqual({ fieldErrors: { emails: ["At most 500 addresses at once."] } });
    expect((await api.call("POST", path, { as: world.users.owner, body: { emails: [], role: "viewer" } })).status).toBe(400);
    expect((await api.call("POST", path, { as: world.users.editor, body: { emails: [`z-${tag}@example.com`], role: "viewer" } })).status).toBe(403);
    expect((await api.call("POST", path, { as: world.users.outsider, body: { emails: [`z-${tag}@example.com`], role: "viewer" } })).status).toBe(404);
    const full = await api.call<BulkInviteResult>("POST", path, { as: world.users.instructor, body: { emails: Array.from({ length: 500 }, (_, index) => `class${index}-${tag}@example.com`), role: "viewer" } });
    expect(full.status).toBe(200);
    expect(full.body.data.counts.invited).toBe(500);
  });

  test("GET lists pending invitations; DELETE revokes by policy", async ({ api, world }) => {
    const tag = randomUUID().slice(0, 8);
    const invite = async (email: string, role: string) =>
      (await api.call<InvitationDto>("POST", `/courses/${world.courseId}/invitations`, { as: world.users.owner, body: { email, role } })).body.data;
    const forOwner = await invite(`o-${tag}@example.com`, "owner");
    const forViewer = await invite(`v-${tag}@example.com`, "viewer");
    const listed = await api.call<InvitationDto[]>("GET", `/courses/${world.courseId}/invitations`, { as: world.users.instructor });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((item) => [item.email, item.url === null])).toEqual([
      [`v-${tag}@example.com`, false],
      [`o-${tag}@example.com`, true],
    ]);
    expect((await api.call("GET", `/courses/${world.courseId}/invitations`, { as: world.users.editor })).status).toBe(403);
    expect((await api.call("GET", `/courses/${world.courseId}/invitations`, { as: world.users.outsider })).status).toBe(404);
    expect((await api.call("DELETE", `/invitations/${forOwner.id}`, { as: world.users.instructor })).status).toBe(403);
    expect((await api.call("DELETE", `/invitations/${forOwner.id}`, { as: world.users.editor })).status).toBe(403);
    expect((await api.call("DELETE", `/invitations/${forOwner.id}`, { as: world.users.outsider })).status).toBe(404);
    expect((await api.call("DELETE", `/invitations/${randomUUID()}`, { as: world.users.owner })).status).toBe(404);
    expect((await api.call("DELETE", `/invitations/not-a-uuid`, { as: world.users.owner })).status).toBe(404);
    const revoked = await api.call<InvitationDto>("DELETE", `/invitations/${forViewer.id}`, { as: world.users.instructor });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ id: forViewer.id, url: null });
    expect((await api.call<InvitationDto[]>("GET", `/courses/${world.courseId}/invitations`, { as: world.users.owner })).body.data.map((item) => item.id)).toEqual([forOwner.id]);
  });

  test("POST /invitations/accept: the invited address joins once; another address 403; used, revoked, expired 410; bad input 400; unknown 404", async ({ api, world, sql }) => {
    const { owner, outsider } = world.users;
    const invite = async (email: string) =>
      (await api.call<InvitationDto>("POST", `/courses/${world.courseId}/invitations`, { as: owner, body: { email, role: "editor" } })).body.data;
    const invitation = await invite(outsider.email);
    const token = tokenOf(invitation.url);
    const wrong = await api.call("POST", "/invitations/accept", { as: world.users.viewer, body: { token } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error?.message).toContain(outsider.email);
    const accepted = await api.call("POST", "/invitations/accept", { as: outsider, body: { token } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toEqual({ courseId: world.courseId, role: "editor", joined: true });
    const used = await api.call("POST", "/invitations/accept", { as: outsider, body: { token } });
    expect(used.status).toBe(410);
    expect(used.body.error).toMatchObject({ code: "gone", details: { state: "accepted" } });
    expect((await api.call("GET", `/courses/${world.courseId}/videos`, { as: outsider })).status).toBe(200);

    const tag = randomUUID().slice(0, 8);
    const revoked = await invite(`r-${tag}@example.com`);
    await api.call("DELETE", `/invitations/${revoked.id}`, { as: owner });
    expect((await api.call("POST", "/invitations/accept", { as: outsider, body: { token: tokenOf(revoked.url) } })).status).toBe(410);
    const expired = await invite(`e-${tag}@example.com`);
    await sql`update course_invitations set expires_at = now() - interval '1 minute' where id = ${expired.id}`;
    const gone = await api.call("POST", "/invitations/accept", { as: outsider, body: { token: tokenOf(expired.url) } });
    expect(gone.status).toBe(410);
    expect(gone.body.error?.message).toMatch(/expired/);
    expect((await api.call("POST", "/invitations/accept", { as: outsider, body: {} })).status).toBe(400);
    expect((await api.call("POST", "/invitations/accept", { as: outsider, body: { token: `lci_${"x".repeat(43)}` } })).status).toBe(404);
  });

  test("with SMTP configured the invitation is emailed (the e2e stack's own SMTP server receives it)", async ({ api, world }) => {
    const email = `mailed-${randomUUID().slice(0, 8)}@example.com`;
    const created = await api.call<InvitationDto>("POST", `/courses/${world.courseId}/invitations`, { as: world.users.owner, body: { email, role: "viewer" } });
    const message = await waitForMail(email);
    expect(message.subject).toContain(`“Course `);
    expect(invitationLink(message)).toBe(created.body.data.url);
    await expect
      .poll(async () => (await api.call<InvitationDto[]>("GET", `/courses/${world.courseId}/invitations`, { as: world.users.owner })).body.data.find((item) => item.id === created.body.data.id)?.emailDelivery.sentAt)
      .toEqual(expect.any(String));
  });
});
