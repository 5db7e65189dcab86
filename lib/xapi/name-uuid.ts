import { createHash } from "node:crypto";

/** Lectern's namespace for name-based statement ids (a random UUID, fixed forever). */
const NAMESPACE = Buffer.from("6f1d3c2a9b8e4f7da1c05e2b7d9f4a13", "hex");

/**
 * A name-based (version 5, RFC 9562) UUID: the same name gives the same id, so a statement sent again (a retried job,
 * a replayed batch) has the id the LRS already holds and is not stored twice.
 */
export function nameUuid(name: string): string {
  const bytes = createHash("sha1").update(NAMESPACE).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
