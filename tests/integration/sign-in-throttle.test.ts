import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInThrottle, users } from "@/db/schema";
import { argon2Slots, ARGON2_CONCURRENCY, hashPassword, verifyPassword } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/password-sign-in";
import type { SignInLimits } from "@/lib/auth/sign-in-throttle";
import { testDatabase } from "../helpers/db";

const { db, close } = testDatabase();
afterAll(close);

const PASSWORD = "the right password";
let passwordHash = "";
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

async function newUser() {
  const email = `throttle-${randomUUID()}@example.com`;
  await db.insert(users).values({ email, passwordHash });
  return email;
}
const newAddress = () => `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;
const limits: SignInLimits = { accountLimit: 5, addressLimit: 8, windowSeconds: 900 };
/** Moves a key's window into the past, as if `seconds` had gone by. */
const age = (key: string, seconds: number) =>
  db
    .update(signInThrottle)
    .set({ windowStartedAt: sql`${signInThrottle.windowStartedAt} - make_interval(secs => ${seconds})` })
    .where(eq(signInThrottle.key, key));

describe("sign-in throttle", () => {
  it("counts concurrent attempts atomically: exactly the limit get a password check, the rest are refused", async () => {
    const email = await newUser();
    const hashesBefore = argon2Slots.started;
    const results = await Promise.all(
      Array.from({ length: 30 }, () => signInWithPassword({ email, password: "wrong", address: newAddress(), limits })),
    );
    const outcomes = results.map((result) => result.outcome);
    expect(outcomes.filter((outcome) => outcome === "wrong-credentials")).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome === "throttled")).toHaveLength(25);
    // No Argon2 hash is computed for a refused attempt.
    expect(argon2Slots.started - hashesBefore).toBe(5);
    for (const result of results) {
      if (result.outcome === "throttled") {
        expect(result.retryAfterSeconds).toBeGreaterThan(890);
        expect(result.retryAfterSeconds).toBeLessThanOrEqual(900);
      }
    }
    // The right password does not get through either until the window is over.
    expect(await signInWithPassword({ email, password: PASSWORD, address: newAddress(), limits })).toMatchObject({ outcome: "throttled" });
    await age(`account:${email}`, 900);
    expect(await signInWithPassword({ email, password: PASSWORD, address: newAddress(), limits })).toMatchObject({ outcome: "signed-in" });
  });

  it("limits one address across accounts, concurrently too, and leaves other addresses alone", async () => {
    const address = newAddress();
    const emails = await Promise.all(Array.from({ length: 12 }, () => newUser()));
    const results = await Promise.all(emails.map((email) => signInWithPassword({ email, password: "wrong", address, limits })));
    expect(results.filter((result) => result.outcome === "wrong-credentials")).toHaveLength(8);
    expect(await signInWithPassword({ email: await newUser(), password: PASSWORD, address, limits })).toMatchObject({ outcome: "throttled" });
    expect(await signInWithPassword({ email: await newUser(), password: PASSWORD, address: newAddress(), limits })).toMatchObject({
      outcome: "signed-in",
    });
  });

  it("counts unknown emails like real ones, case-insensitively", async () => {
    const email = `nobody-${randomUUID()}@example.com`;
    for (let i = 0; i < 5; i++) {
      expect(await signInWithPassword({ email, password: "x", address: undefined, limits })).toMatchObject({ outcome: "wrong-credentials" });
    }
    expect(await signInWithPassword({ email: email.toUpperCase(), password: "x", address: undefined, limits })).toMatchObject({ outcome: "throttled" });
  });

  it("a successful sign-in clears the account's failures but only gives the address its attempt back", async () => {
    const email = await newUser();
    const address = newAddress();
    for (let i = 0; i < 4; i++) await signInWithPassword({ email, password: "wrong", address, limits });
    expect(await signInWithPassword({ email, password: PASSWORD, address, limits })).toMatchObject({ outcome: "signed-in" });
    const rows = await db.select().from(signInThrottle).where(sql`${signInThrottle.key} in (${`account:${email}`}, ${`address:${address}`})`);
    expect(rows.map((row) => [row.key, row.failures])).toEqual([[`address:${address}`, 4]]);
    // Five more typos for the account are allowed again; the address has 4 of its 8 left.
    for (let i = 0; i < 4; i++) {
      expect(await signInWithPassword({ email, password: "wrong", address, limits })).toMatchObject({ outcome: "wrong-credentials" });
    }
    expect(await signInWithPassword({ email, password: PASSWORD, address, limits })).toMatchObject({ outcome: "throttled" });
  });

  it("a window that is over starts afresh", async () => {
    const email = await newUser();
    for (let i = 0; i < 6; i++) await signInWithPassword({ email, password: "wrong", address: undefined, limits });
    const refused = await signInWithPassword({ email, password: "wrong", address: undefined, limits });
    expect(refused).toMatchObject({ outcome: "throttled" });
    await age(`account:${email}`, 600);
    const later = await signInWithPassword({ email, password: "wrong", address: undefined, limits });
    expect(later.outcome === "throttled" && later.retryAfterSeconds).toBeLessThanOrEqual(300);
    await age(`account:${email}`, 300);
    expect(await signInWithPassword({ email, password: "wrong", address: undefined, limits })).toMatchObject({ outcome: "wrong-credentials" });
  });

  it(`computes at most ${ARGON2_CONCURRENCY} Argon2 hashes at once in a process`, async () => {
    let sawWaiting = false;
    const sampler = setInterval(() => {
      expect(argon2Slots.active).toBeLessThanOrEqual(ARGON2_CONCURRENCY);
      if (argon2Slots.waiting > 0) sawWaiting = true;
    }, 1);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => verifyPassword({ hash: passwordHash, password: i % 2 ? PASSWORD : "no" })));
    clearInterval(sampler);
    expect(results.filter(Boolean)).toHaveLength(6);
    expect(sawWaiting).toBe(true);
    expect(argon2Slots.peak).toBeLessThanOrEqual(ARGON2_CONCURRENCY);
    expect(argon2Slots.active).toBe(0);
  });
});
