import { randomBytes } from "node:crypto";

/** 32 random bytes, base64url: a secret for signing sessions or the processing callback. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}
