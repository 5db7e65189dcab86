import { describe, expect, it } from "vitest";
import { findUserByEmail } from "@/db/queries/users";
import { SEED_PASSWORD } from "@/dev/seed";
import { hashPassword, verifyPassword } from "@/lib/auth/password";

describe("passwords", () => {
  it("stores seeded passwords as Argon2id hashes that verify", async () => {
    const user = await findUserByEmail({ email: "instructor@example.com" });
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword({ hash: user?.passwordHash ?? null, password: SEED_PASSWORD })).toBe(true);
    expect(await verifyPassword({ hash: user?.passwordHash ?? null, password: `${SEED_PASSWORD}x` })).toBe(false);
  });

  it("never verifies a user without a password, nor a corrupt hash", async () => {
    expect(await verifyPassword({ hash: null, password: "" })).toBe(false);
    expect(await verifyPassword({ hash: "not-a-hash", password: "x" })).toBe(false);
    const hash = await hashPassword("correct horse");
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword({ hash, password: "correct horse" })).toBe(true);
  });
});
