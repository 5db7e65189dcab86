import "server-only";
import { inArray, lt, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { signInThrottle } from "@/db/schema";

/**
 * Counts one attempt against each key, in one statement: a key whose window (started by its first counted attempt)
 * is over starts a new one. Row locks serialise concurrent attempts on a key, so each sees a distinct count.
 * Returns each key's count including this attempt, and the seconds left in its window.
 */
export async function countSignInAttempt({ keys, windowSeconds, tx = db }: { keys: string[]; windowSeconds: number; tx?: Executor }) {
  const expired = sql`${signInThrottle.windowStartedAt} <= now() - make_interval(secs => ${windowSeconds})`;
  return tx
    .insert(signInThrottle)
    // Always in the same key order (account, then address), so two statements never wait on each other's rows.
    .values(keys.map((key) => ({ key, failures: 1, windowStartedAt: sql`now()` })))
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${expired} then 1 else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then now() else ${signInThrottle.windowStartedAt} end`,
      },
    })
    .returning({
      key: signInThrottle.key,
      failures: signInThrottle.failures,
      // A concurrent statement that began later may have started the window after this one's now(): never above it.
      retryAfterSeconds: sql<number>`least(${windowSeconds}, greatest(1, ceil(extract(epoch from ${signInThrottle.windowStartedAt} + make_interval(secs => ${windowSeconds}) - now()))))::int`,
    });
}

/** Takes one counted attempt back from each key (it turned out not to be a failure). */
export async function uncountSignInAttempt({ keys, tx = db }: { keys: string[]; tx?: Executor }) {
  if (keys.length === 0) return;
  await tx
    .update(signInThrottle)
    .set({ failures: sql`greatest(${signInThrottle.failures} - 1, 0)` })
    .where(inArray(signInThrottle.key, keys));
}

export async function clearSignInFailures({ keys, tx = db }: { keys: string[]; tx?: Executor }) {
  if (keys.length === 0) return;
  await tx.delete(signInThrottle).where(inArray(signInThrottle.key, keys));
}

/** Removes the rows of windows that are over (they would restart at the next attempt anyway). */
export async function deleteFinishedSignInWindows({ windowSeconds, tx = db }: { windowSeconds: number; tx?: Executor }) {
  await tx.delete(signInThrottle).where(lt(signInThrottle.windowStartedAt, sql`now() - make_interval(secs => ${windowSeconds})`));
}
