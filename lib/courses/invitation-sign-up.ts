import "server-only";
import { db } from "@/db";
import { insertPasswordUser } from "@/db/queries/users";
import { hashPassword } from "@/lib/auth/password";
import { admitSignInAttempt, type SignInLimits } from "@/lib/auth/sign-in-throttle";
import { AppError } from "@/lib/errors";
import { acceptInvitation, previewInvitation } from "./invitations";

/**
 * A new person creates a password account for the invited address and joins, in one transaction. Attempts count
 * against the sign-in throttle of the address and of the client (like sign-in attempts: counted first, no hash
 * computed past a limit), so a leaked link cannot be used for unlimited account creation attempts. The account's
 * email is the invitation's, never one the form sends; it is verified by the link.
 */
export async function signUpWithInvitation({
  token,
  name,
  password,
  address,
  limits,
}: {
  token: string;
  name: string;
  password: string;
  address: string | undefined;
  limits?: SignInLimits;
}): Promise<{ email: string; courseId: string }> {
  const preview = await previewInvitation({ token });
  if (!preview) throw AppError.notFound("This invitation link is not valid. Check that you copied all of it.");
  const verdict = await admitSignInAttempt({ email: preview.email, address, limits });
  if (!verdict.allowed) {
    const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
    throw new AppError("rate_limited", `Too many attempts for this address. Wait ${minutes === 1 ? "a minute" : `${minutes} minutes`} and try again.`, {
      headers: { "retry-after": String(verdict.retryAfterSeconds) },
      details: { retryAfterSeconds: verdict.retryAfterSeconds },
    });
  }
  if (preview.accountExists) {
    throw new AppError("conflict", `An account for ${preview.email} already exists: sign in to accept the invitation.`, { details: { reason: "account_exists" } });
  }
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const user = await insertPasswordUser({ email: preview.email, name, passwordHash, tx });
    if (!user) throw new AppError("conflict", `An account for ${preview.email} already exists: sign in to accept the invitation.`, { details: { reason: "account_exists" } });
    const { courseId } = await acceptInvitation({ user, token, tx });
    return { email: user.email, courseId };
  });
}
