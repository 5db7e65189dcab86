import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
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

/**
 * The token with this hash (revoked and expired ones too, so callers can say which), with its user; a live token's
 * use is recorded in the same statement (at most once a minute, so authenticated reads don't each cost a write).
 * One round trip: a named statement, parsed once per connection.
 */
export async function findTokenByHash({ tokenHash, tx = db }: { tokenHash: string; tx?: Executor }) {
  const touched = tx.$with("touched", { id: sql<string>`id` }).as(sql`
    update ${apiTokens} set last_used_at = now()
    where ${apiTokens.tokenHash} = ${tokenHash} and ${apiTokens.revokedAt} is null and (${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > now())
      and (${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute')
    returning id`);
  const [row] = await tx
    .with(touched)
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
    .limit(1)
    .prepare("find_api_token")
    .execute();
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
