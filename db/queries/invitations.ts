import "server-only";
import { and, desc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Executor } from "@/db";
import { type CourseRole, courseInvitations, courses, users } from "@/db/schema";

export type InvitationRow = typeof courseInvitations.$inferSelect;

const open = and(isNull(courseInvitations.acceptedAt), isNull(courseInvitations.revokedAt));
const inviter = alias(users, "inviter");

/**
 * Revokes the open invitations of these addresses that have expired, so new ones can take their place (one open
 * invitation per address and course).
 */
export async function revokeExpiredInvitations({ courseId, emails, tx = db }: { courseId: string; emails: string[]; tx?: Executor }) {
  if (emails.length === 0) return;
  await tx
    .update(courseInvitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(courseInvitations.courseId, courseId), inArray(courseInvitations.email, emails), open, lte(courseInvitations.expiresAt, sql`now()`)));
}

/**
 * Opens invitations; an address that already has an open one keeps it (no row is inserted for it). Returns the
 * rows inserted. Expiry is counted on the database's clock, like every expiry check.
 */
export async function insertInvitations({
  rows,
  ttlDays,
  tx = db,
}: {
  rows: { id: string; courseId: string; email: string; role: CourseRole; tokenHash: string; invitedBy: string }[];
  ttlDays: number;
  tx?: Executor;
}) {
  if (rows.length === 0) return [];
  return tx
    .insert(courseInvitations)
    .values(rows.map((row) => ({ ...row, expiresAt: sql`now() + make_interval(days => ${ttlDays})` })))
    .onConflictDoNothing({ target: [courseInvitations.courseId, courseInvitations.email], where: open })
    .returning();
}

/** The open invitations of these addresses on the course, with the inviter. */
export async function selectOpenInvitationsByEmail({ courseId, emails, tx = db }: { courseId: string; emails: string[]; tx?: Executor }) {
  if (emails.length === 0) return [];
  return tx
    .select({ invitation: courseInvitations, inviterName: inviter.name, inviterEmail: inviter.email })
    .from(courseInvitations)
    .leftJoin(inviter, eq(inviter.id, courseInvitations.invitedBy))
    .where(and(eq(courseInvitations.courseId, courseId), inArray(courseInvitations.email, emails), open));
}

/** A course's pending invitations (open, not expired), newest first, with the inviter's name. */
export async function selectPendingInvitations({ courseId, tx = db }: { courseId: string; tx?: Executor }) {
  return tx
    .select({ invitation: courseInvitations, inviterName: inviter.name, inviterEmail: inviter.email })
    .from(courseInvitations)
    .leftJoin(inviter, eq(inviter.id, courseInvitations.invitedBy))
    .where(and(eq(courseInvitations.courseId, courseId), open, gt(courseInvitations.expiresAt, sql`now()`)))
    .orderBy(desc(courseInvitations.createdAt), desc(courseInvitations.id));
}

/** One invitation with its course and inviter, by id or by token hash; `lock` holds its row until the transaction ends. */
export async function selectInvitation({
  id,
  tokenHash,
  lock = false,
  tx = db,
}: {
  id?: string;
  tokenHash?: string;
  lock?: boolean;
  tx?: Executor;
}) {
  const where = id !== undefined ? eq(courseInvitations.id, id) : tokenHash !== undefined ? eq(courseInvitations.tokenHash, tokenHash) : undefined;
  if (!where) throw new Error("selectInvitation needs an id or a token hash");
  const query = tx
    .select({
      invitation: courseInvitations,
      expired: sql<boolean>`${courseInvitations.expiresAt} <= now()`,
      courseTitle: courses.title,
      inviterName: inviter.name,
      inviterEmail: inviter.email,
    })
    .from(courseInvitations)
    .innerJoin(courses, eq(courses.id, courseInvitations.courseId))
    .leftJoin(inviter, eq(inviter.id, courseInvitations.invitedBy))
    .where(where)
    .limit(1);
  const [row] = lock ? await query.for("update", { of: courseInvitations }) : await query;
  return row;
}

export async function markInvitationAccepted({ id, userId, tx = db }: { id: string; userId: string; tx?: Executor }) {
  await tx.update(courseInvitations).set({ acceptedAt: sql`now()`, acceptedBy: userId }).where(eq(courseInvitations.id, id));
}

/** Revokes an open invitation (a revoked one keeps its time). Returns the row, or undefined when it was accepted. */
export async function revokeInvitationRow({ id, tx = db }: { id: string; tx?: Executor }) {
  const [row] = await tx
    .update(courseInvitations)
    .set({ revokedAt: sql`coalesce(${courseInvitations.revokedAt}, now())` })
    .where(and(eq(courseInvitations.id, id), isNull(courseInvitations.acceptedAt)))
    .returning();
  return row;
}

export async function recordInvitationEmail({ id, error, tx = db }: { id: string; error?: string; tx?: Executor }) {
  await tx
    .update(courseInvitations)
    .set(error === undefined ? { emailSentAt: sql`now()`, emailError: null } : { emailError: error })
    .where(eq(courseInvitations.id, id));
}
