import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to Argon2id (m=19 MiB, t=2, p=1), OWASP's recommended minimum.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying unknown emails against a real hash keeps their response time like a wrong password's.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hash(randomBytes(16).toString("hex")));

export async function verifyPassword({ hash: stored, password }: { hash: string | null; password: string }): Promise<boolean> {
  try {
    const ok = await verify(stored ?? (await getDummyHash()), password);
    return ok && stored !== null;
  } catch {
    return false;
  }
}
