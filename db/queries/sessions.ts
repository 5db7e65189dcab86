import "server-only";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { sessions, users } from "@/db/schema";

const secondsFromNow = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

export async function insertSession({
  sessionToken,
  userId,
  lifetimeSeconds,
  tx = db,
}: {
  sessionToken: string;
  userId: string;
  lifetimeSeconds: number;
  tx?: Executor;
}) {
  const [row] = await tx
    .insert(sessions)
    .values({ sessionToken, userId, expires: secondsFromNow(lifetimeSeconds) })
    .returning({ expires: sessions.expires });
  if (!row) throw new Error("insert into sessions returned no row");
  return row;
}

/**
 * The live session `sessionToken` of `userId`, with its user, in one query; `renewDue` when it expires within
 * `renewWithinSeconds`.
 */
export async function findLiveSession({
  sessionToken,
  userId,
  renewWithinSeconds,
  tx = db,
}: {
  sessionToken: string;
  userId: string;
  renewWithinSeconds: number;
  tx?: Executor;
}) {
  const [row] = await tx
    .select({
      user: { id: users.id, email: users.email, name: users.name },
      expires: sessions.expires,
      renewDue: sql<boolean>`${sessions.expires} < ${secondsFromNow(renewWithinSeconds)}`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, sessionToken), eq(sessions.userId, userId), gt(sessions.expires, sql`now()`)))
    .limit(1);
  return row;
}

/** Moves a live session's expiry to `lifetimeSeconds` from now; undefined when it is gone or expired. */
export async function extendSession({ sessionToken, lifetimeSeconds, tx = db }: { sessionToken: string; lifetimeSeconds: number; tx?: Executor }) {
  const [row] = await tx
    .update(sessions)
    .set({ expires: secondsFromNow(lifetimeSeconds) })
    .where(and(eq(sessions.sessionToken, sessionToken), gt(sessions.expires, sql`now()`)))
    .returning({ expires: sessions.expires });
  return row;
}

export async function deleteSession({ sessionToken, tx = db }: { sessionToken: string; tx?: Executor }) {
  const rows = await tx.delete(sessions).where(eq(sessions.sessionToken, sessionToken)).returning({ userId: sessions.userId });
  return rows.length;
}

export async function deleteUserSessions({ userId, tx = db }: { userId: string; tx?: Executor }) {
  const rows = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ sessionToken: sessions.sessionToken });
  return rows.length;
}

export async function deleteExpiredUserSessions({ userId, tx = db }: { userId: string; tx?: Executor }) {
  await tx.delete(sessions).where(and(eq(sessions.userId, userId), lte(sessions.expires, sql`now()`)));
}
