import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { revokeApiToken } from "@/db/queries/api-tokens";
import { apiTokens } from "@/db/schema";
import { SEED } from "@/dev/seed";
import { createApiToken, hashApiToken, userForApiToken } from "@/lib/auth/api-tokens";
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

  it("refuses to create a token for an unknown user", async () => {
    await expect(createApiToken({ email: "nobody@example.com", name: "x" })).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});
