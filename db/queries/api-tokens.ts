import "server-only";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { apiTokens, users } from "@/db/schema";

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken({
  userId,
  name,
  tokenHash,
  expiresInDays,
  tx = db,
}: {
  userId: string;
  name: string;
  tokenHash: string;
  /** Undefined or null: never expires. Counted on the database's clock, like every expiry check. */
  expiresInDays?: number | null;
  tx?: Executor;
}) {
  const expiresAt = expiresInDays ? sql`now() + make_interval(days => ${expiresInDays})` : null;
  const [row] = await tx.insert(apiTokens).values({ userId, name, tokenHash, expiresAt }).returning();
  if (!row) throw new Error("insert into api_tokens returned no row");
  return row;
}

/** The token with this hash (revoked and expired ones too, so callers can say which), with its user. */
export async function findTokenByHash({ tokenHash, tx = db }: { tokenHash: string; tx?: Executor }) {
  const [row] = await tx
    .select({
      tokenId: apiTokens.id,
      revokedAt: apiTokens.revokedAt,
      expiresAt: apiTokens.expiresAt,
      expired: sql<boolean>`coalesce(${apiTokens.expiresAt} <= now(), false)`,
      user: { id: users.id, email: users.email, name: users.name },
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** A user's tokens, newest first. */
export async function listApiTokensOfUser({ userId, tx = db }: { userId: string; tx?: Executor }) {
  return tx.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** One token, only if it belongs to `userId` when given. */
export async function findApiToken({ tokenId, userId, tx = db }: { tokenId: string; userId?: string; tx?: Executor }) {
  const [row] = await tx
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), userId === undefined ? undefined : eq(apiTokens.userId, userId)))
    .limit(1);
  return row;
}

/** Records use at most once a minute per token, so authenticated reads don't each cost a write. */
export async function touchApiToken({ tokenId, tx = db }: { tokenId: string; tx?: Executor }) {
  await tx
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.id, tokenId),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

/**
 * Revokes the token (of `userId` when given). Idempotent: a token revoked before keeps its time.
 * True when the token exists and is now revoked.
 */
export async function revokeApiToken({ tokenId, userId, tx = db }: { tokenId: string; userId?: string; tx?: Executor }) {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(and(eq(apiTokens.id, tokenId), userId === undefined ? undefined : eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}
