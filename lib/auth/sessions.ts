import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/db";
import { deleteExpiredUserSessions, deleteSession, deleteUserSessions, extendSession, findLiveSession, insertSession } from "@/db/queries/sessions";
import type { AuthenticatedUser } from "./api-tokens";

/** A session ends after 7 days without use; use renews it, at most once a day (one write per session per day). */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

/** Records a new session for a user who just signed in; its id rides in the JWT. Drops the user's expired ones. */
export async function startSession({ userId }: { userId: string }): Promise<string> {
  const sessionId = randomBytes(32).toString("base64url");
  await db.transaction(async (tx) => {
    await deleteExpiredUserSessions({ userId, tx });
    await insertSession({ sessionToken: sessionId, userId, lifetimeSeconds: SESSION_MAX_AGE_SECONDS, tx });
  });
  return sessionId;
}

export type ResolvedSession = { user: AuthenticatedUser; expires: Date; renewed: boolean };

/**
 * The user of a session the JWT names, if the session is still live (not signed out, not expired) and belongs to
 * that user. A session last renewed more than a day ago is renewed to 7 days from now.
 */
export async function resolveSession({ sessionId, userId }: { sessionId: string; userId: string }): Promise<ResolvedSession | undefined> {
  const live = await findLiveSession({
    sessionToken: sessionId,
    userId,
    renewWithinSeconds: SESSION_MAX_AGE_SECONDS - SESSION_UPDATE_AGE_SECONDS,
  });
  if (!live) return undefined;
  if (!live.renewDue) return { user: live.user, expires: live.expires, renewed: false };
  const extended = await extendSession({ sessionToken: sessionId, lifetimeSeconds: SESSION_MAX_AGE_SECONDS });
  // Signed out between the two statements.
  if (!extended) return undefined;
  return { user: live.user, expires: extended.expires, renewed: true };
}

/** Signs one session out. */
export async function revokeSession({ sessionId }: { sessionId: string }): Promise<void> {
  await deleteSession({ sessionToken: sessionId });
}

/** "Sign out everywhere": ends every session of the user, in every browser. Returns how many rows it removed. */
export async function revokeAllSessions({ userId }: { userId: string }): Promise<number> {
  return deleteUserSessions({ userId });
}
