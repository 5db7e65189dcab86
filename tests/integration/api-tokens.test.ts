import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { revokeApiToken } from "@/db/queries/api-tokens";
import { apiTokens } from "@/db/schema";
import { SEED } from "@/dev/seed";
import {
  checkApiToken,
  createApiToken,
  hashApiToken,
  issueApiToken,
  listApiTokens,
  requireApiTokenUser,
  revokeApiToken as revokeOwnApiToken,
  userForApiToken,
} from "@/lib/auth/api-tokens";
import { testDatabase } from "../helpers/db";

const { db, close } = testDatabase();
afterAll(close);

describe("API tokens", () => {
  it("authenticates with a new token and stores only its hash", async () => {
    const { token, tokenId } = await createApiToken({ email: "Instructor@Example.com", name: "laptop" });
    expect(token).toMatch(/^lct_[A-Za-z0-9_-]{43}$/);

    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
    expect(row?.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(row?.lastUsedAt).toBeNull();

    const user = await userForApiToken({ token });
    expect(user).toEqual({ id: SEED.users.instructor.id, email: "instructor@example.com", name: SEED.users.instructor.name });
    const [used] = await db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
    expect(used?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("rejects revoked, unknown and malformed tokens", async () => {
    const { token, tokenId } = await createApiToken({ email: "student@example.com", name: "old" });
    expect(await revokeApiToken({ tokenId, userId: SEED.users.student.id })).toBe(true);
    expect(await userForApiToken({ token })).toBeUndefined();

    const { token: other } = await createApiToken({ email: "student@example.com", name: "new" });
    const unknown = `${other.slice(0, -1)}${other.endsWith("A") ? "B" : "A"}`;
    expect(await userForApiToken({ token: unknown })).toBeUndefined();
    expect(await userForApiToken({ token: "lct_short" })).toBeUndefined();
    expect(await userForApiToken({ token: "' or 1=1 --" })).toBeUndefined();
  });

  it("expires a token at its expiry time, with a clear 401", async () => {
    const { token, tokenId, expiresAt } = await createApiToken({ email: "editor@example.com", name: "ci", expiresInDays: 30 });
    const days = (Date.parse(expiresAt ?? "") - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect(await userForApiToken({ token })).toMatchObject({ email: "editor@example.com" });

    await db.update(apiTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiTokens.id, tokenId));
    expect(await userForApiToken({ token })).toBeUndefined();
    expect(await checkApiToken({ token })).toEqual({ problem: expect.stringMatching(/^The API token expired on \d{4}-.*Create a new one\.$/) });
    await expect(requireApiTokenUser({ token })).rejects.toMatchObject({ status: 401, code: "unauthorized", message: expect.stringContaining("expired") });
    const [listed] = (await listApiTokens({ userId: SEED.users.editor.id })).filter((item) => item.id === tokenId);
    expect(listed).toMatchObject({ status: "expired", revokedAt: null });
  });

  it("a token without expiry never expires", async () => {
    const { token, expiresAt } = await createApiToken({ email: "editor@example.com", name: "forever" });
    expect(expiresAt).toBeNull();
    expect(await userForApiToken({ token })).toMatchObject({ email: "editor@example.com" });
  });

  it("revokes only the owner's token, says so on use, and keeps it listed", async () => {
    const mine = await issueApiToken({ userId: SEED.users.other.id, name: "mine", expiresInDays: null });
    await expect(revokeOwnApiToken({ tokenId: mine.id, userId: SEED.users.student.id })).rejects.toMatchObject({ status: 404 });
    expect(await userForApiToken({ token: mine.token })).toMatchObject({ email: "other@example.com" });
    await expect(revokeOwnApiToken({ tokenId: "not-a-uuid", userId: SEED.users.other.id })).rejects.toMatchObject({ status: 404 });

    const revoked = await revokeOwnApiToken({ tokenId: mine.id, userId: SEED.users.other.id });
    expect(revoked).toMatchObject({ id: mine.id, status: "revoked", revokedAt: expect.any(String) });
    await expect(requireApiTokenUser({ token: mine.token })).rejects.toMatchObject({ status: 401, message: expect.stringContaining("revoked") });
    // Revoking again is harmless and keeps the first time.
    expect(await revokeOwnApiToken({ tokenId: mine.id, userId: SEED.users.other.id })).toEqual(revoked);
    const listed = await listApiTokens({ userId: SEED.users.other.id });
    expect(listed.find((item) => item.id === mine.id)).toEqual(revoked);
    expect(JSON.stringify(listed)).not.toContain(mine.token.slice(4));
    expect(await listApiTokens({ userId: SEED.users.student.id })).not.toContainEqual(expect.objectContaining({ id: mine.id }));
  });

  it("records the last use at most once a minute", async () => {
    const { token, tokenId } = await createApiToken({ email: "other@example.com", name: "busy" });
    const lastUsed = async () => (await db.select().from(apiTokens).where(eq(apiTokens.id, tokenId)))[0]?.lastUsedAt;
    await userForApiToken({ token });
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await userForApiToken({ token });
    expect(await lastUsed()).toEqual(first);

    await db.update(apiTokens).set({ lastUsedAt: sql`now() - interval '61 seconds'` }).where(eq(apiTokens.id, tokenId));
    const before = await lastUsed();
    await userForApiToken({ token });
    const after = await lastUsed();
    expect(after?.getTime()).toBeGreaterThan(before?.getTime() ?? Infinity);
    // A refused token's use is not recorded.
    await revokeApiToken({ tokenId, userId: SEED.users.other.id });
    await db.update(apiTokens).set({ lastUsedAt: null }).where(eq(apiTokens.id, tokenId));
    await userForApiToken({ token });
    expect(await lastUsed()).toBeNull();
  });

  it("refuses to create a token for an unknown user", async () => {
    await expect(createApiToken({ email: "nobody@example.com", name: "x" })).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});
