import "server-only";
import type PgBoss from "pg-boss";
import { recordInvitationEmail, selectInvitation } from "@/db/queries/invitations";
import { invitationUrl } from "@/lib/courses/invitation-token";
import { log, runWithLogger } from "@/lib/logger";
import { INVITATION_EMAIL_QUEUE } from "@/lib/queue/boss";
import { invitationEmailJobSchema } from "@/lib/queue/jobs";
import { composeInvitationEmail } from "./invitation-email";
import { senderAddress } from "./settings";
import { createMailTransport, type MailTransport } from "./transport";

/**
 * Sends one invitation's email and records when it went out. An invitation no longer open (accepted, revoked,
 * expired) is skipped. A failure is recorded on the invitation and thrown, for pg-boss to retry.
 */
export async function deliverInvitationEmail({
  invitationId,
  origin,
  transport,
  from,
}: {
  invitationId: string;
  origin: string;
  transport: MailTransport;
  from: string;
}): Promise<"sent" | "skipped"> {
  const row = await selectInvitation({ id: invitationId });
  if (!row || row.invitation.acceptedAt || row.invitation.revokedAt || row.expired) return "skipped";
  const message = composeInvitationEmail({
    courseTitle: row.courseTitle,
    role: row.invitation.role,
    inviterName: row.inviterName ?? row.inviterEmail,
    url: invitationUrl({ origin, invitationId }),
    expiresAt: row.invitation.expiresAt,
  });
  try {
    await transport.sendMail({ from, to: row.invitation.email, ...message });
  } catch (error) {
    await recordInvitationEmail({ id: invitationId, error: error instanceof Error ? error.message.slice(0, 500) : String(error) });
    throw error;
  }
  await recordInvitationEmail({ id: invitationId });
  return "sent";
}

// Jobs fetched at once per lane, and lanes: pg-boss waits a polling interval between fetches, so a class list of
// 500 goes out in seconds, not minutes. Each job of a batch succeeds or fails (and is retried) on its own.
const EMAIL_BATCH = 25;
const EMAIL_LANES = 2;

/** Works the invitation-email queue on `boss` (the worker does, when SMTP_URL is set). */
export async function workInvitationEmails({ boss, smtpUrl, from }: { boss: PgBoss; smtpUrl: string; from?: string }) {
  const transport = createMailTransport(smtpUrl);
  const sender = senderAddress(smtpUrl, from);
  const deliver = (job: PgBoss.Job<unknown>) =>
    runWithLogger(log().child({ jobId: job.id, queue: INVITATION_EMAIL_QUEUE }), async () => {
      try {
        const { invitationId, origin } = invitationEmailJobSchema.parse(job.data);
        const outcome = await deliverInvitationEmail({ invitationId, origin, transport, from: sender });
        log().info({ invitationId, outcome }, `invitation email ${outcome}`);
      } catch (error) {
        log().warn({ err: error }, "invitation email failed");
        // Only this job goes back for a retry; pg-boss completes the rest of the batch (it completes active jobs only).
        await boss.fail(INVITATION_EMAIL_QUEUE, job.id, { message: error instanceof Error ? error.message : String(error) });
      }
    });
  for (let lane = 0; lane < EMAIL_LANES; lane++) {
    await boss.work(INVITATION_EMAIL_QUEUE, { batchSize: EMAIL_BATCH, pollingIntervalSeconds: 1 }, async (jobs) => {
      await Promise.all(jobs.map(deliver));
    });
  }
  return { close: () => transport.close() };
}
