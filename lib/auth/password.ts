import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { Semaphore } from "@/lib/semaphore";

/**
 * Argon2 hashes computed at once in this process (each takes ~19 MiB and a thread for tens of ms): a burst of
 * sign-ins queues here instead of exhausting memory and libuv's threads.
 */
export const ARGON2_CONCURRENCY = 2;
export const argon2Slots = new Semaphore(ARGON2_CONCURRENCY);

// @node-rs/argon2 defaults to Argon2id (m=19 MiB, t=2, p=1), OWASP's recommended minimum.
export function hashPassword(password: string): Promise<string> {
  return argon2Slots.run(() => hash(password));
}

// Verifying unknown emails against a real hash keeps their response time like a wrong password's.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString("hex")));

export async function verifyPassword({ hash: stored, password }: { hash: string | null; password: string }): Promise<boolean> {
  try {
    const target = stored ?? (await getDummyHash());
    const ok = await argon2Slots.run(() => verify(target, password));
    return ok && stored !== null;
  } catch {
    return false;
  }
}
