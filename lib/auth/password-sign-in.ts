import "server-only";
import { findUserByEmail } from "@/db/queries/users";
import type { AuthenticatedUser } from "./api-tokens";
import { verifyPassword } from "./password";
import { admitSignInAttempt, recordSignInSuccess, type SignInLimits } from "./sign-in-throttle";

export type PasswordSignInResult =
  | { outcome: "signed-in"; user: AuthenticatedUser }
  | { outcome: "wrong-credentials" }
  | { outcome: "throttled"; retryAfterSeconds: number };

/** Email + password sign-in: throttled first (no hash is computed for a refused attempt), then verified. */
export async function signInWithPassword({
  email,
  password,
  address,
  limits,
}: {
  email: string;
  password: string;
  address: string | undefined;
  limits?: SignInLimits;
}): Promise<PasswordSignInResult> {
  const verdict = await admitSignInAttempt({ email, address, limits });
  if (!verdict.allowed) return { outcome: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };
  const user = await findUserByEmail({ email });
  const ok = await verifyPassword({ hash: user?.passwordHash ?? null, password });
  if (!user || !ok) return { outcome: "wrong-credentials" };
  await recordSignInSuccess({ ticket: verdict.ticket });
  return { outcome: "signed-in", user: { id: user.id, email: user.email, name: user.name } };
}
