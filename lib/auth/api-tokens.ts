import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import {
  type ApiTokenRow,
  findApiToken,
  findTokenByHash,
  insertApiToken,
  listApiTokensOfUser,
  revokeApiToken as revokeApiTokenRow,
} from "@/db/queries/api-tokens";
import { findUserByEmail } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { cachedTokenUser, cacheTokenUser, forgetCachedTokens } from "./api-token-cache";
import type { ApiTokenDto, ApiTokenStatus, CreatedApiTokenDto } from "./api-token-schemas";

const TOKEN_PREFIX = "lct_";
// 32 random bytes, base64url: 43 characters.
const TOKEN_PATTERN = /^lct_[A-Za-z0-9_-]{43}$/;

export type AuthenticatedUser = { id: string; email: string; name: string | null };

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function tokenStatus(row: Pick<ApiTokenRow, "revokedAt" | "expiresAt">, now = new Date()): ApiTokenStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  return "active";
}

export function toApiTokenDto(row: ApiTokenRow): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    status: tokenStatus(row),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a token for a user; the plain token is returned once and only its hash is stored. */
export async function issueApiToken({
  userId,
  name,
  expiresInDays,
}: {
  userId: string;
  name: string;
  expiresInDays?: number | null;
}): Promise<CreatedApiTokenDto> {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await insertApiToken({ userId, name, tokenHash: hashApiToken(token), expiresInDays });
  return { ...toApiTokenDto(row), token };
}

/** For the CLI: creates a token for the user with this email. */
export async function createApiToken({ email, name, expiresInDays }: { email: string; name: string; expiresInDays?: number | null }) {
  const user = await findUserByEmail({ email });
  if (!user) throw AppError.notFound(`No user with email ${email}.`);
  const created = await issueApiToken({ userId: user.id, name, expiresInDays });
  return { token: created.token, tokenId: created.id, expiresAt: created.expiresAt, user: { id: user.id, email: user.email } };
}

export async function listApiTokens({ userId }: { userId: string }): Promise<ApiTokenDto[]> {
  return (await listApiTokensOfUser({ userId })).map((row) => toApiTokenDto(row));
}

/** For the CLI: a user's tokens by email. */
export async function listApiTokensByEmail({ email }: { email: string }) {
  const user = await findUserByEmail({ email });
  if (!user) throw AppError.notFound(`No user with email ${email}.`);
  return listApiTokens({ userId: user.id });
}

/**
 * Revokes a token of `userId` (any token when `userId` is undefined: the CLI's operator). Revoking twice is
 * harmless. Another user's token is "not found", so ids of others' tokens reveal nothing.
 */
export async function revokeApiToken({ tokenId, userId }: { tokenId: string; userId?: string }): Promise<ApiTokenDto> {
  const notFound = AppError.notFound("No such API token.");
  if (!z.uuid().safeParse(tokenId).success) throw notFound;
  const revoked = await revokeApiTokenRow({ tokenId, userId });
  forgetCachedTokens();
  if (!revoked) throw notFound;
  const row = await findApiToken({ tokenId, userId });
  if (!row) throw notFound;
  return toApiTokenDto(row);
}

type TokenCheck = { user: AuthenticatedUser } | { problem: string };

/**
 * Who a bearer token belongs to, or why it is refused. Records its use (at most once a minute, in the lookup). With `cached`, an
 * answer of the last few seconds may be reused (lib/auth/api-token-cache.ts: for the hot write path only).
 */
export async function checkApiToken({ token, cached = false }: { token: string; cached?: boolean }): Promise<TokenCheck> {
  if (!TOKEN_PATTERN.test(token)) return { problem: "The API token is malformed." };
  const tokenHash = hashApiToken(token);
  const known = cached ? cachedTokenUser(tokenHash) : undefined;
  if (known) return { user: known };
  const row = await findTokenByHash({ tokenHash });
  if (!row) return { problem: "The API token is unknown." };
  if (row.revokedAt) return { problem: `The API token was revoked on ${row.revokedAt.toISOString()}. Create a new one.` };
  if (row.expired) return { problem: `The API token expired on ${row.expiresAt?.toISOString()}. Create a new one.` };
  if (cached) cacheTokenUser({ tokenHash, user: row.user, expiresAt: row.expiresAt });
  return { user: row.user };
}

/** The user a bearer token belongs to, or undefined when it is malformed, unknown, revoked or expired. */
export async function userForApiToken({ token }: { token: string }): Promise<AuthenticatedUser | undefined> {
  const check = await checkApiToken({ token });
  return "user" in check ? check.user : undefined;
}

/** The user a bearer token belongs to; otherwise 401 saying why (malformed, unknown, revoked or expired). */
export async function requireApiTokenUser({ token, cached }: { token: string; cached?: boolean }): Promise<AuthenticatedUser> {
  const check = await checkApiToken({ token, cached });
  if ("problem" in check) throw AppError.unauthorized(check.problem);
  return check.user;
}

/**
 * Tokens are created by a signed-in person (the tokens page) or an operator (the CLI), never by another token:
 * a leaked token must not be able to mint replacements that outlive its revocation.
 */
export function refuseTokenMintedByToken(request: Request) {
  if (request.headers.has("authorization")) {
    throw AppError.forbidden("An API token cannot create API tokens. Sign in and use the API tokens page, or run npm run token.");
  }
}
