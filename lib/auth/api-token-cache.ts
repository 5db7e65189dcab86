import "server-only";
import type { AuthenticatedUser } from "./api-tokens";

/**
 * Bearer tokens recently found active, by hash, for the hot write path (watch batches: a learner's player sends one
 * every 10 s, so an entry must outlive that to be of use). An entry lives TOKEN_CACHE_MS at most, and never past the
 * token's expiry. A revocation in this
 * process empties the cache at once; in another server process, the revoked token may still pass there for up to
 * TOKEN_CACHE_MS. Only positive answers are kept: an unknown, revoked or expired token always asks the database.
 */
export const TOKEN_CACHE_MS = 15_000;
const MAX_ENTRIES = 50_000;

type Entry = { user: AuthenticatedUser; until: number };
const entries = new Map<string, Entry>();

export function cachedTokenUser(tokenHash: string, now = Date.now()): AuthenticatedUser | undefined {
  const entry = entries.get(tokenHash);
  if (!entry) return undefined;
  if (entry.until > now) return entry.user;
  entries.delete(tokenHash);
  return undefined;
}

export function cacheTokenUser({ tokenHash, user, expiresAt, now = Date.now() }: { tokenHash: string; user: AuthenticatedUser; expiresAt: Date | null; now?: number }) {
  const until = Math.min(now + TOKEN_CACHE_MS, expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
  if (until <= now) return;
  // Oldest first (a Map keeps insertion order): a full cache drops its oldest entry.
  entries.delete(tokenHash);
  if (entries.size >= MAX_ENTRIES) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  entries.set(tokenHash, { user, until });
}

/** After a revocation: nothing cached may outlive it in this process. */
export function forgetCachedTokens() {
  entries.clear();
}
