import "server-only";
import { clearSignInFailures, countSignInAttempt, deleteFinishedSignInWindows, uncountSignInAttempt } from "@/db/queries/sign-in-throttle";
import { env } from "@/lib/env";

export type SignInLimits = { accountLimit: number; addressLimit: number; windowSeconds: number };

export const signInLimits = (): SignInLimits => ({
  accountLimit: env.SIGN_IN_ACCOUNT_LIMIT,
  addressLimit: env.SIGN_IN_ADDRESS_LIMIT,
  windowSeconds: env.SIGN_IN_WINDOW_SECONDS,
});

export type ThrottleTicket = { accountKey: string; addressKey?: string };
export type ThrottleVerdict = { allowed: true; ticket: ThrottleTicket } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts a sign-in attempt before its password is checked, against the account (the email as typed, known or
 * not, so the answer reveals nothing) and the client's address. Counting first, in PostgreSQL, makes the limit
 * hold for concurrent attempts and across app processes. Over either limit: refused for the rest of the window.
 */
export async function admitSignInAttempt({
  email,
  address,
  limits = signInLimits(),
}: {
  email: string;
  address: string | undefined;
  limits?: SignInLimits;
}): Promise<ThrottleVerdict> {
  const ticket: ThrottleTicket = { accountKey: `account:${email.trim().toLowerCase()}`, addressKey: address ? `address:${address}` : undefined };
  const keys = ticket.addressKey ? [ticket.accountKey, ticket.addressKey] : [ticket.accountKey];
  const counts = await countSignInAttempt({ keys, windowSeconds: limits.windowSeconds });
  // Now and then, drop the rows of finished windows (keys never seen again, such as sprayed emails).
  if (Math.random() < 0.02) await deleteFinishedSignInWindows({ windowSeconds: limits.windowSeconds });
  const over = counts.filter((row) => row.failures > (row.key === ticket.accountKey ? limits.accountLimit : limits.addressLimit));
  if (over.length > 0) return { allowed: false, retryAfterSeconds: Math.max(...over.map((row) => row.retryAfterSeconds)) };
  return { allowed: true, ticket };
}

/**
 * The admitted attempt had the right password: it was no failure. The account starts afresh; the address only
 * gets this attempt back (one valid account must not reset an address that is guessing at others).
 */
export async function recordSignInSuccess({ ticket }: { ticket: ThrottleTicket }): Promise<void> {
  await clearSignInFailures({ keys: [ticket.accountKey] });
  if (ticket.addressKey) await uncountSignInAttempt({ keys: [ticket.addressKey] });
}
