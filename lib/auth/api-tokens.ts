import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { findActiveTokenByHash, insertApiToken, touchApiToken } from "@/db/queries/api-tokens";
import { findUserByEmail } from "@/db/queries/users";
import { AppError } from "@/lib/errors";

const TOKEN_PREFIX = "lct_";
// 32 random bytes, base64url: 43 characters.
const TOKEN_PATTERN = /^lct_[A-Za-z0-9_-]{43}$/;

export type AuthenticatedUser = { id: string; email: string; name: string | null };

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token for the user; the plain token is returned once and only its hash is stored. */
export async function createApiToken({ email, name }: { email: string; name: string }) {
  const user = await findUserByEmail({ email });
  if (!user) throw AppError.notFound(`No user with email ${email}.`);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await insertApiToken({ userId: user.id, name, tokenHash: hashApiToken(token) });
  return { token, tokenId: row.id, user: { id: user.id, email: user.email } };
}

/** The user a bearer token belongs to, or undefined when it is malformed, unknown or revoked. */
export async function userForApiToken({ token }: { token: string }): Promise<AuthenticatedUser | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const row = await findActiveTokenByHash({ tokenHash: hashApiToken(token) });
  if (!row) return undefined;
  await touchApiToken({ tokenId: row.tokenId });
  return row.user;
}
