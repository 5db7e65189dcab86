import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { sessions, users } from "@/db/schema";
import { revokeAllSessions, resolveSession, revokeSession, SESSION_MAX_AGE_SECONDS, startSession } from "@/lib/auth/sessions";
import { testDatabase } from "../helpers/db";

const { db, close } = testDatabase();
afterAll(close);

async function newUser() {
  const id = randomUUID();
  await db.insert(users).values({ id, email: `session-${id}@example.com`, name: "Session tester" });
  return { id, email: `session-${id}@example.com`, name: "Session tester" };
}

const expiresOf = async (sessionId: string) =>
  (await db.select({ expires: sessions.expires }).from(sessions).where(eq(sessions.sessionToken, sessionId)))[0]?.expires;
const DAY = 24 * 60 * 60 * 1000;

describe("server-side sessions", () => {
  it("a new session resolves to its user, for 7 days", async () => {
    const user = await newUser();
    const sessionId = await startSession({ userId: user.id });
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const live = await resolveSession({ sessionId, userId: user.id });
    expect(live).toMatchObject({ user, renewed: false });
    const expires = (await expiresOf(sessionId))?.getTime() ?? 0;
    expect(Math.abs(expires - (Date.now() + SESSION_MAX_AGE_SECONDS * 1000))).toBeLessThan(60_000);
  });

  it("signing out revokes that session only; the user's other sessions stay", async () => {
    const user = await newUser();
    const laptop = await startSession({ userId: user.id });
    const phone = await startSession({ userId: user.id });
    await revokeSession({ sessionId: laptop });
    expect(await resolveSession({ sessionId: laptop, userId: user.id })).toBeUndefined();
    expect(await resolveSession({ sessionId: phone, userId: user.id })).toMatchObject({ user });
  });

  it("signing out everywhere revokes all of the user's sessions and nobody else's", async () => {
    const user = await newUser();
    const other = await newUser();
    const mine = [await startSession({ userId: user.id }), await startSession({ userId: user.id })];
    const theirs = await startSession({ userId: other.id });
    expect(await revokeAllSessions({ userId: user.id })).toBe(2);
    for (const sessionId of mine) expect(await resolveSession({ sessionId, userId: user.id })).toBeUndefined();
    expect(await resolveSession({ sessionId: theirs, userId: other.id })).toMatchObject({ user: other });
  });

  it("a session id is honoured only for the user it was issued to", async () => {
    const user = await newUser();
    const other = await newUser();
    const sessionId = await startSession({ userId: user.id });
    expect(await resolveSession({ sessionId, userId: other.id })).toBeUndefined();
    expect(await resolveSession({ sessionId: "made-up", userId: user.id })).toBeUndefined();
  });

  it("an expired session no longer resolves, and the next sign-in clears it away", async () => {
    const user = await newUser();
    const sessionId = await startSession({ userId: user.id });
    await db.update(sessions).set({ expires: sql`now() - interval '1 second'` }).where(eq(sessions.sessionToken, sessionId));
    expect(await resolveSession({ sessionId, userId: user.id })).toBeUndefined();
    await startSession({ userId: user.id });
    expect(await expiresOf(sessionId)).toBeUndefined();
  });

  it("a session in use slides: renewed to 7 days once it was last renewed a day ago, not before", async () => {
    const user = await newUser();
    const sessionId = await startSession({ userId: user.id });
    // Renewed 2 hours ago: left alone (no write on every request).
    await db.update(sessions).set({ expires: sql`now() + interval '7 days' - interval '2 hours'` }).where(eq(sessions.sessionToken, sessionId));
    const before = await expiresOf(sessionId);
    expect(await resolveSession({ sessionId, userId: user.id })).toMatchObject({ renewed: false });
    expect(await expiresOf(sessionId)).toEqual(before);
    // Last renewed 2 days ago: 5 days left, renewed to 7.
    await db.update(sessions).set({ expires: sql`now() + interval '5 days'` }).where(eq(sessions.sessionToken, sessionId));
    const renewed = await resolveSession({ sessionId, userId: user.id });
    expect(renewed?.renewed).toBe(true);
    const expires = (await expiresOf(sessionId))?.getTime() ?? 0;
    expect(expires).toBeGreaterThan(Date.now() + 7 * DAY - 60_000);
    expect(renewed?.expires.getTime()).toBe(expires);
  });

  it("deleting a user ends their sessions", async () => {
    const user = await newUser();
    const sessionId = await startSession({ userId: user.id });
    await db.delete(users).where(eq(users.id, user.id));
    expect(await resolveSession({ sessionId, userId: user.id })).toBeUndefined();
  });
});
