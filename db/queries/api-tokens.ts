import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { apiTokens, users } from "@/db/schema";

export async function insertApiToken({
  userId,
  name,
  tokenHash,
  tx = db,
}: {
  userId: string;
  name: string;
  tokenHash: string;
  tx?: Executor;
}) {
  const [row] = await tx.insert(apiTokens).values({ userId, name, tokenHash }).returning();
  if (!row) throw new Error("insert into api_tokens returned no row");
  return row;
}

/** The active (not revoked) token with this hash, with its user. */
export async function findActiveTokenByHash({ tokenHash, tx = db }: { tokenHash: string; tx?: Executor }) {
  const [row] = await tx
    .select({ tokenId: apiTokens.id, user: { id: users.id, email: users.email, name: users.name } })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
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

export async function revokeApiToken({ tokenId, userId, tx = db }: { tokenId: string; userId: string; tx?: Executor }) {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}
