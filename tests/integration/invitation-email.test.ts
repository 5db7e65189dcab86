import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { acceptInvitation, inviteMember } from "@/lib/courses/invitations";
import { workInvitationEmails } from "@/lib/email/deliver-invitation";
import { queueSettings } from "@/lib/queue";
import { INVITATION_EMAIL_QUEUE, startBoss } from "@/lib/queue/boss";
import { createCourseWorld, createUser } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";
import { startSmtpCatcher } from "@/dev/mail-catcher";

const database = testDatabase();
const sql = database.sql;
const ORIGIN = "http://lectern.test:8080";
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
let boss: PgBoss;
let mail: { close: () => void };
const refused = "busy@example.com";

beforeAll(async () => {
  smtp = await startSmtpCatcher({ refuse: [refused] });
  boss = await startBoss({ databaseUrl: inject("databaseUrl"), role: "worker", settings: queueSettings });
  mail = await workInvitationEmails({ boss, smtpUrl: smtp.url, from: "Lectern <invites@lectern.test>" });
});

afterAll(async () => {
  await boss.stop({ graceful: false });
  mail.close();
  await smtp.close();
  await database.close();
});

const invitationRow = async (id: string) => (await sql<{ email_sent_at: Date | null; email_error: string | null }[]>`select email_sent_at, email_error from course_invitations where id = ${id}`)[0];

describe("invitation emails over SMTP", () => {
  it("a queued job sends the invitation: right recipient, subject naming the course, a link that works", async () => {
    const world = await createCourseWorld(sql);
    const invitee = await createUser(sql, `mailed-${world.tag}`);
    const { invitation } = await inviteMember({ actor: world.first("owner"), courseId: world.courseId, email: invitee.email, role: "editor", origin: ORIGIN, sendEmails: true });
    // The invitation exists before any mail is sent: the request never waits on the SMTP server.
    expect(invitation.emailDelivery).toEqual({ sentAt: null, error: null });

    const message = await smtp.waitFor(invitee.email);
    expect(message.to).toEqual([invitee.email]);
    expect(message.from).toContain("invites@lectern.test");
    expect(message.subject).toBe(`You're invited to “${world.title}” on Lectern`);
    const link = /https?:\/\/\S+\/invitations\/lci_[\w-]{43}/.exec(message.text)?.[0];
    expect(link).toBe(invitation.url);
    expect(message.html).toContain(`href="${link}"`);
    expect(message.text).toContain(world.first("owner").name);

    await expect.poll(async () => (await invitationRow(invitation.id))?.email_sent_at, { timeout: 10_000 }).not.toBeNull();
    const token = new URL(link ?? "").pathname.split("/").at(-1) ?? "";
    expect(await acceptInvitation({ user: invitee, token })).toMatchObject({ courseId: world.courseId, role: "editor" });
  });

  it("a refusal is recorded on the invitation and the job waits to be retried", async () => {
    const world = await createCourseWorld(sql);
    const { invitation } = await inviteMember({ actor: world.first("owner"), courseId: world.courseId, email: refused, role: "viewer", origin: ORIGIN, sendEmails: true });
    await expect.poll(async () => (await invitationRow(invitation.id))?.email_error, { timeout: 15_000 }).toMatch(/451|busy/i);
    expect((await invitationRow(invitation.id))?.email_sent_at).toBeNull();
    const job = async () =>
      (await sql<{ state: string; waits: boolean }[]>`select state, start_after > now() as waits from pgboss.job where name = ${INVITATION_EMAIL_QUEUE} and data->>'invitationId' = ${invitation.id}`)[0];
    await expect.poll(job, { timeout: 10_000 }).toEqual({ state: "retry", waits: true });
    expect(smtp.messages.some((message) => message.to.includes(refused))).toBe(false);
  });
});
