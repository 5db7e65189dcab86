import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { SEED, SEED_PASSWORD } from "@/dev/seed-data";
import type { AdminUserDto } from "@/lib/admin/schemas";
import { createApiToken } from "../e2e-stack";
import { expect, test } from "./world";

const USERS = "/api/v1/admin/users";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const address = () => `person-${randomUUID().slice(0, 8)}@example.com`;

/** Signs in through Auth.js's own endpoints (csrf token, then the credentials callback), as the sign-in form does. */
async function signIn(request: APIRequestContext, email: string, password: string): Promise<boolean> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, callbackUrl: "/courses" }, maxRedirects: 0 });
  const { cookies } = await request.storageState();
  return cookies.some((cookie) => cookie.name.endsWith("authjs.session-token"));
}

test.describe("POST /api/v1/admin/users", () => {
  let adminToken = "";
  test.beforeAll(async () => {
    // The e2e stack lists the seeded admin in ADMIN_EMAILS (dev/stack.ts).
    adminToken = await createApiToken(SEED.users.admin.email);
  });

  test("an administrator's token creates an account that signs in with its password; without one it cannot", async ({ request, playwright, baseURL }) => {
    const email = address();
    const created = await request.post(USERS, { headers: bearer(adminToken), data: { email: email.toUpperCase(), name: "  Tess Assistant ", password: "a long passphrase" } });
    expect(created.status()).toBe(201);
    const user = ((await created.json()) as { data: AdminUserDto }).data;
    expect(user).toEqual({ id: expect.any(String), email, name: "Tess Assistant", hasPassword: true });

    const session = await playwright.request.newContext({ baseURL });
    expect(await signIn(session, email, "a long passphrase")).toBe(true);
    await session.dispose();

    const noPassword = await request.post(USERS, { headers: bearer(adminToken), data: { email: address(), name: "No Password" } });
    expect(noPassword.status()).toBe(201);
    expect(((await noPassword.json()) as { data: AdminUserDto }).data.hasPassword).toBe(false);
  });

  test("an address that has an account (any case) is 409 with that account, whose password stays", async ({ request, playwright, baseURL }) => {
    const email = address();
    const first = ((await (await request.post(USERS, { headers: bearer(adminToken), data: { email, name: "First", password: "first passphrase" } })).json()) as { data: AdminUserDto }).data;
    const again = await request.post(USERS, { headers: bearer(adminToken), data: { email: email.toUpperCase(), name: "Second", password: "second passphrase" } });
    expect(again.status()).toBe(409);
    expect(await again.json()).toEqual({
      error: { code: "conflict", message: `An account for ${email} already exists.`, details: { reason: "account_exists", user: { id: first.id, email, name: "First", hasPassword: true } } },
    });
    const seeded = await request.post(USERS, { headers: bearer(adminToken), data: { email: SEED.users.student.email, name: "Student" } });
    expect(seeded.status()).toBe(409);

    const session = await playwright.request.newContext({ baseURL });
    expect(await signIn(session, email, "second passphrase")).toBe(false);
    expect(await signIn(session, email, "first passphrase")).toBe(true);
    await session.dispose();
  });

  test("anyone not in ADMIN_EMAILS gets 403 and creates nothing", async ({ request, world }) => {
    const email = address();
    for (const member of [world.users.owner, world.users.viewer]) {
      const refused = await request.post(USERS, { headers: bearer(member.token), data: { email, name: "Sneaky", password: "a long passphrase" } });
      expect(refused.status()).toBe(403);
      expect(await refused.json()).toEqual({ error: { code: "forbidden", message: "Only administrators (the addresses in ADMIN_EMAILS) can do this." } });
    }
    const created = await request.post(USERS, { headers: bearer(adminToken), data: { email, name: "Real" } });
    expect(created.status()).toBe(201);
  });

  test("an administrator's session works from the app's origin only; bad input is a 400 with field details", async ({ playwright, baseURL }) => {
    const session = await playwright.request.newContext({ baseURL });
    expect(await signIn(session, SEED.users.admin.email, SEED_PASSWORD)).toBe(true);
    const data = { email: address(), name: "By Session" };
    const foreign = await session.post(USERS, { headers: { origin: "https://evil.example" }, data });
    expect(foreign.status()).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "cross_site_request" } });
    const sameOrigin = await session.post(USERS, { headers: { origin: baseURL ?? "" }, data });
    expect(sameOrigin.status()).toBe(201);

    const bad = await session.post(USERS, { headers: { origin: baseURL ?? "" }, data: { email: "not an address", name: "", password: "short" } });
    expect(bad.status()).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { path: string[] }[] } };
    expect(body.error.code).toBe("validation_error");
    expect(JSON.stringify(body.error.details)).toEqual(expect.stringContaining("Enter a valid email address."));
    expect(JSON.stringify(body.error.details)).toEqual(expect.stringContaining("Use at least 10 characters."));
    await session.dispose();
  });
});
