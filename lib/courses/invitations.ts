import "server-only";
import { randomUUID } from "node:crypto";
import { db, type Transaction } from "@/db";
import {
  type InvitationRow,
  insertInvitations,
  markInvitationAccepted,
  revokeExpiredInvitations,
  revokeInvitationRow,
  selectInvitation,
  selectOpenInvitationsByEmail,
  selectPendingInvitations,
} from "@/db/queries/invitations";
import { insertMember, lockCourse, selectMember, selectMemberEmails } from "@/db/queries/members";
import { findUserByEmailAnyCase } from "@/db/queries/users";
import type { CourseRole } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { emailEnabled } from "@/lib/email/settings";
import { env } from "@/lib/env";
import { enqueueInvitationEmails } from "@/lib/queue";
import { type Actor, courseArchivedError, loadCourseAccess } from "@/lib/videos/access";
import { canManageMember, invitableRoles } from "@/lib/videos/policy";
import { idSchema } from "@/lib/videos/schemas";
import { hashInvitationToken, invitationToken, invitationUrl, isWellFormedInvitationToken } from "./invitation-token";
import { type BulkInviteResult, type BulkResult, emailSchema, type InvitationDto } from "./member-schemas";
import { requireMemberViewer } from "./members";

type Inviter = { name: string | null; email: string } | null;

function toInvitationDto(row: InvitationRow, { origin, inviter, withUrl = true }: { origin: string; inviter: Inviter; withUrl?: boolean }): InvitationDto {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
    url: withUrl ? invitationUrl({ origin, invitationId: row.id }) : null,
    createdAt: row.createdAt.toISOString(),
    invitedBy: inviter,
    emailDelivery: { sentAt: row.emailSentAt?.toISOString() ?? null, error: row.emailError },
  };
}

const roleRefusal = (actorRole: CourseRole, role: CourseRole) => {
  const allowed = invitableRoles(actorRole);
  return AppError.forbidden(
    allowed.length === 0
      ? "Only the course's owners and instructors can invite people."
      : `As ${actorRole === "viewer" ? "a" : "an"} ${actorRole} you can invite ${allowed.map((allowedRole) => `${allowedRole}s`).join(" or ")}, not ${role}s.`,
  );
};

/**
 * Invites addresses to the course with one role, in one transaction. Per address: `invited` (a new invitation,
 * emailed when SMTP_URL is set, through a job queued in the same transaction), `pending` (an open invitation existed:
 * that one is returned, unchanged), `member` (already on the course) or `invalid`. Expired open invitations are
 * replaced by new ones. Addresses compare case-insensitively; duplicates count once.
 */
export async function inviteMembers({
  actor,
  courseId,
  emails,
  role,
  origin,
  sendEmails = emailEnabled(),
  ttlDays = env.INVITATION_TTL_DAYS,
}: {
  actor: Actor;
  courseId: string;
  emails: string[];
  role: CourseRole;
  origin: string;
  sendEmails?: boolean;
  ttlDays?: number;
}): Promise<BulkInviteResult> {
  const { role: actorRole, archived } = await loadCourseAccess({ actor, courseId });
  if (!invitableRoles(actorRole).includes(role)) throw roleRefusal(actorRole, role);
  if (archived) throw courseArchivedError();

  const results: BulkResult[] = [];
  const valid: string[] = [];
  const seen = new Set<string>();
  for (const given of emails) {
    const parsed = emailSchema.safeParse(given);
    if (!parsed.success) {
      results.push({ email: given, status: "invalid", message: parsed.error.issues[0]?.message ?? "Not an email address." });
    } else if (!seen.has(parsed.data)) {
      seen.add(parsed.data);
      valid.push(parsed.data);
    }
  }

  const decided = await db.transaction(async (tx) => {
    const members = await selectMemberEmails({ courseId, emails: valid, tx });
    const candidates = valid.filter((email) => !members.has(email));
    await revokeExpiredInvitations({ courseId, emails: candidates, tx });
    const inserted = await insertInvitations({
      rows: candidates.map((email) => {
        const id = randomUUID();
        return { id, courseId, email, role, tokenHash: hashInvitationToken(invitationToken(id)), invitedBy: actor.id };
      }),
      ttlDays,
      tx,
    });
    const open = await selectOpenInvitationsByEmail({ courseId, emails: candidates, tx });
    if (sendEmails && inserted.length > 0) await enqueueInvitationEmails({ tx, jobs: inserted.map((row) => ({ invitationId: row.id, origin })) });
    return { members, insertedIds: new Set(inserted.map((row) => row.id)), open: new Map(open.map((row) => [row.invitation.email, row])) };
  });

  for (const email of valid) {
    if (decided.members.has(email)) {
      results.push({ email, status: "member", message: "Already a member of this course." });
      continue;
    }
    const open = decided.open.get(email);
    if (!open) throw new Error(`no open invitation for ${email} after inviting`);
    const fresh = decided.insertedIds.has(open.invitation.id);
    const inviter = open.inviterEmail ? { name: open.inviterName, email: open.inviterEmail } : null;
    results.push({
      email,
      status: fresh ? "invited" : "pending",
      ...(fresh ? {} : { message: "An invitation was already pending: here it is." }),
      invitation: toInvitationDto(open.invitation, { origin, inviter }),
    });
  }
  const counts = { invited: 0, pending: 0, member: 0, invalid: 0 };
  for (const result of results) counts[result.status]++;
  return { results, counts };
}

/** One address: 201 for a new invitation, 200 with the pending one, 409 for a member. */
export async function inviteMember(input: { actor: Actor; courseId: string; email: string; role: CourseRole; origin: string; sendEmails?: boolean }) {
  const { results } = await inviteMembers({ ...input, emails: [input.email] });
  const [result] = results;
  if (!result) throw new Error("inviting one address gave no result");
  if (result.status === "member") throw new AppError("conflict", `${result.email} is already a member of this course.`, { details: { reason: "already_member" } });
  if (result.status === "invalid" || !result.invitation) throw AppError.validation("Some fields are invalid.", { fieldErrors: { email: [result.message ?? "Enter a valid email address."] } });
  return { created: result.status === "invited", invitation: result.invitation };
}

/** Pending (open, unexpired) invitations, newest first; links only for those the caller may hand out. */
export async function listPendingInvitations({ actor, courseId, origin }: { actor: Actor; courseId: string; origin: string }): Promise<InvitationDto[]> {
  const role = await requireMemberViewer({ actor, courseId });
  const rows = await selectPendingInvitations({ courseId });
  return rows.map(({ invitation, inviterName, inviterEmail }) =>
    toInvitationDto(invitation, {
      origin,
      inviter: inviterEmail ? { name: inviterName, email: inviterEmail } : null,
      withUrl: canManageMember({ role, targetRole: invitation.role }),
    }),
  );
}

const invitationNotFound = () => AppError.notFound("Invitation not found.");

/** Revokes an invitation (idempotent). Owners any; instructors those for editors and viewers. Accepted ones: 409. */
export async function revokeInvitation({ actor, invitationId, origin }: { actor: Actor; invitationId: string; origin: string }): Promise<InvitationDto> {
  if (!idSchema.safeParse(invitationId).success) throw invitationNotFound();
  const found = await selectInvitation({ id: invitationId });
  if (!found) throw invitationNotFound();
  const role = await requireMemberViewer({ actor, courseId: found.invitation.courseId }).catch((error: unknown) => {
    throw error instanceof AppError && error.status === 404 ? invitationNotFound() : error;
  });
  if (!canManageMember({ role, targetRole: found.invitation.role })) throw AppError.forbidden(`As ${role === "viewer" ? "a" : "an"} ${role} you cannot revoke invitations for ${found.invitation.role}s.`);
  if (found.invitation.acceptedAt) throw new AppError("conflict", "This invitation was already accepted: remove the member instead.", { details: { reason: "accepted" } });
  const row = await revokeInvitationRow({ id: invitationId });
  if (!row) throw new AppError("conflict", "This invitation was already accepted: remove the member instead.", { details: { reason: "accepted" } });
  const inviter = found.inviterEmail ? { name: found.inviterName, email: found.inviterEmail } : null;
  return toInvitationDto(row, { origin, inviter, withUrl: false });
}

export type InvitationState = "pending" | "accepted" | "revoked" | "expired";

export type InvitationPreview = {
  state: InvitationState;
  courseId: string;
  courseTitle: string;
  role: CourseRole;
  email: string;
  inviter: Inviter;
  expiresAt: string;
  /** Whether an account with the invited address exists (the page offers sign-in rather than sign-up). */
  accountExists: boolean;
};

function stateOf(row: { invitation: InvitationRow; expired: boolean }): InvitationState {
  if (row.invitation.acceptedAt) return "accepted";
  if (row.invitation.revokedAt) return "revoked";
  return row.expired ? "expired" : "pending";
}

/** What the invitation page shows, for whoever holds the link; undefined for a link that names no invitation. */
export async function previewInvitation({ token }: { token: string }): Promise<InvitationPreview | undefined> {
  if (!isWellFormedInvitationToken(token)) return undefined;
  const row = await selectInvitation({ tokenHash: hashInvitationToken(token) });
  if (!row) return undefined;
  return {
    state: stateOf(row),
    courseId: row.invitation.courseId,
    courseTitle: row.courseTitle,
    role: row.invitation.role,
    email: row.invitation.email,
    inviter: row.inviterEmail ? { name: row.inviterName, email: row.inviterEmail } : null,
    expiresAt: row.invitation.expiresAt.toISOString(),
    accountExists: Boolean(await findUserByEmailAnyCase({ email: row.invitation.email })),
  };
}

const GONE_MESSAGES: Record<Exclude<InvitationState, "pending">, string> = {
  accepted: "This invitation has already been used. Ask the course team for a new one if you still need to join.",
  revoked: "This invitation was withdrawn. Ask the course team for a new one.",
  expired: "This invitation has expired. Ask the course team for a new one.",
};

/**
 * Accepts the invitation for `user`, whose email must be the invited address (case-insensitively): the user joins
 * with the invited role (an existing membership keeps its role) and the link stops working. Under the invitation's
 * row lock, so a link works once even when clicked twice at the same moment. `tx` lets sign-up create the user and
 * accept in one transaction.
 */
export async function acceptInvitation({
  user,
  token,
  tx,
}: {
  user: { id: string; email: string };
  token: string;
  tx?: Transaction;
}): Promise<{ courseId: string; role: CourseRole; joined: boolean }> {
  if (!isWellFormedInvitationToken(token)) throw AppError.notFound("This invitation link is not valid. Check that you copied all of it.");
  const run = async (tx: Transaction) => {
    const row = await selectInvitation({ tokenHash: hashInvitationToken(token), lock: true, tx });
    if (!row) throw AppError.notFound("This invitation link is not valid. Check that you copied all of it.");
    const state = stateOf(row);
    if (state !== "pending") throw new AppError("gone", GONE_MESSAGES[state], { details: { state } });
    if (user.email.toLowerCase() !== row.invitation.email) {
      throw AppError.forbidden(`This invitation is for ${row.invitation.email}, but you are signed in as ${user.email}. Sign out and open the link again.`);
    }
    const { courseId, role } = row.invitation;
    const course = await lockCourse({ courseId, tx });
    if (course?.archivedAt) throw courseArchivedError();
    const joined = await insertMember({ courseId, userId: user.id, role, tx });
    await markInvitationAccepted({ id: row.invitation.id, userId: user.id, tx });
    const member = await selectMember({ courseId, userId: user.id, tx });
    return { courseId, role: member?.role ?? role, joined };
  };
  return tx ? run(tx) : db.transaction(run);
}
