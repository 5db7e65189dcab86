import "server-only";
import { createHash, createHmac } from "node:crypto";
import { env } from "@/lib/env";

const TOKEN_PREFIX = "lci_";
// HMAC-SHA256, base64url: 43 characters.
const TOKEN_PATTERN = /^lci_[A-Za-z0-9_-]{43}$/;

let linkKey: Buffer | undefined;
const key = () => (linkKey ??= createHmac("sha256", env.AUTH_SECRET).update("lectern invitation links v1").digest());

/**
 * An invitation's link token, derived from its id with a key from AUTH_SECRET. The database holds only the token's
 * SHA-256 (as for API tokens), so its rows alone open nothing; the server can still show a pending invitation's
 * link again (copy link, re-inviting the same address) and the worker can put it in the email without the token
 * ever being stored, in the invitations table or in a queued job. Changing AUTH_SECRET changes the links it shows
 * (links already handed out keep working: they are looked up by their hash).
 */
export function invitationToken(invitationId: string): string {
  return TOKEN_PREFIX + createHmac("sha256", key()).update(invitationId).digest("base64url");
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const isWellFormedInvitationToken = (token: string) => TOKEN_PATTERN.test(token);

/** The page that accepts the invitation, on the app's public origin. */
export function invitationUrl({ origin, invitationId }: { origin: string; invitationId: string }): string {
  return new URL(`/invitations/${invitationToken(invitationId)}`, origin).href;
}
