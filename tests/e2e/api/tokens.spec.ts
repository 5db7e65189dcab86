import type { APIRequestContext } from "@playwright/test";
import type { ApiTokenDto } from "@/lib/auth/api-token-schemas";
import { runTokenCli } from "../e2e-stack";
import { expect, type Member, test } from "./world";

const TOKENS = "/api/v1/tokens";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function listTokens(request: APIRequestContext, as: Member | string) {
  const response = await request.get(TOKENS, { headers: bearer(typeof as === "string" ? as : as.token) });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { data: ApiTokenDto[] }).data;
}

const coursesStatus = async (request: APIRequestContext, token: string) => {
  const response = await request.get("/api/v1/education/courses", { headers: bearer(token) });
  return { status: response.status(), body: (await response.json()) as { error?: { code: string; message: string } } };
};

/** `npm run token` for a user; returns the token and its id. */
async function cliToken(email: string, ...flags: string[]) {
  const { stdout } = await runTokenCli([email, ...flags]);
  const lines = stdout.trim().split("\n");
  const id = /\(([0-9a-f-]{36})\)/.exec(lines.at(-2) ?? "")?.[1] ?? "";
  return { token: lines.at(-1) ?? "", id, printed: stdout };
}

test.describe("/api/v1/tokens", () => {
  test("lists the caller's own tokens with their last use, never the token or its hash", async ({ request, world }) => {
    const list = await listTokens(request, world.users.editor);
    expect(list).toEqual([
      { id: expect.any(String), name: "e2e", status: "active", createdAt: expect.any(String), lastUsedAt: expect.any(String), expiresAt: null, revokedAt: null },
    ]);
    expect(Date.now() - Date.parse(list[0]?.lastUsedAt ?? "")).toBeLessThan(60_000);
    const text = JSON.stringify(list);
    expect(text).not.toContain(world.users.editor.token.slice(4));
    expect(text).not.toMatch(/hash/i);
    expect((await listTokens(request, world.users.viewer)).map((token) => token.id)).not.toContain(list[0]?.id);
  });

  test("a token cannot create tokens; anonymous callers get 401", async ({ request, world }) => {
    const viaToken = await request.post(TOKENS, { headers: bearer(world.users.owner.token), data: { name: "minted" } });
    expect(viaToken.status()).toBe(403);
    expect(await viaToken.json()).toEqual({ error: { code: "forbidden", message: expect.stringContaining("cannot create API tokens") } });
    expect((await listTokens(request, world.users.owner)).map((token) => token.name)).toEqual(["e2e"]);

    for (const response of [await request.get(TOKENS), await request.post(TOKENS, { data: { name: "x" } }), await request.delete(`${TOKENS}/${crypto.randomUUID()}`)]) {
      expect(response.status()).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });

  test("another user's token is not found and stays usable; revoking your own ends it with a clear 401", async ({ request, world }) => {
    const [ownerToken] = await listTokens(request, world.users.owner);
    const outsider = world.users.outsider;

    const foreign = await request.delete(`${TOKENS}/${ownerToken?.id}`, { headers: bearer(outsider.token) });
    expect(foreign.status()).toBe(404);
    expect(await foreign.json()).toEqual({ error: { code: "not_found", message: "No such API token." } });
    for (const id of ["not-a-uuid", crypto.randomUUID()]) {
      expect((await request.delete(`${TOKENS}/${id}`, { headers: bearer(outsider.token) })).status()).toBe(404);
    }
    expect((await coursesStatus(request, world.users.owner.token)).status).toBe(200);

    // A token may revoke itself (a script retiring its own credentials).
    const revoked = await request.delete(`${TOKENS}/${ownerToken?.id}`, { headers: bearer(world.users.owner.token) });
    expect(revoked.status()).toBe(200);
    expect(((await revoked.json()) as { data: ApiTokenDto }).data).toMatchObject({ id: ownerToken?.id, status: "revoked", revokedAt: expect.any(String) });
    const after = await coursesStatus(request, world.users.owner.token);
    expect(after).toEqual({ status: 401, body: { error: { code: "unauthorized", message: expect.stringMatching(/^The API token was revoked on .*Create a new one\.$/) } } });

    const fresh = await cliToken(world.users.owner.email, "--name", "replacement");
    const list = await listTokens(request, fresh.token);
    expect(list.map(({ name, status }) => ({ name, status }))).toEqual([
      { name: "replacement", status: "active" },
      { name: "e2e", status: "revoked" },
    ]);
  });

  test("an expired token gets 401 saying it expired", async ({ request, sql, world }) => {
    const { token, id } = await cliToken(world.users.viewer.email, "--expires-in-days", "1");
    expect((await coursesStatus(request, token)).status).toBe(200);
    const [listed] = (await listTokens(request, token)).filter((item) => item.id === id);
    expect(Date.parse(listed?.expiresAt ?? "") - Date.now()).toBeGreaterThan(86_400_000 - 120_000);

    await sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${id}`;
    expect(await coursesStatus(request, token)).toEqual({
      status: 401,
      body: { error: { code: "unauthorized", message: expect.stringMatching(/^The API token expired on .*Create a new one\.$/) } },
    });
    expect((await listTokens(request, world.users.viewer)).find((item) => item.id === id)).toMatchObject({ status: "expired" });
  });
});

test.describe("npm run token: --expires-in-days, --list, --revoke", () => {
  test("creates an expiring token, lists a user's tokens and revokes one by id", async ({ request, world }) => {
    const created = await cliToken(world.users.editor.email, "--name", "nightly", "--expires-in-days", "7");
    expect(created.printed).toMatch(/Created API token "nightly" \([0-9a-f-]{36}\) for .*; it expires \d{4}-\d\d-\d\dT/);

    const { stdout: listed } = await runTokenCli(["--list", world.users.editor.email]);
    expect(listed).toContain(created.id);
    expect(listed).toMatch(/nightly.*active/);
    expect(listed).toMatch(/e2e.*active/);
    expect(listed).not.toContain(created.token.slice(4));

    const { stdout: revoked } = await runTokenCli(["--revoke", created.id]);
    expect(revoked).toMatch(new RegExp(`Revoked API token "nightly" \\(${created.id}\\) at \\d{4}-`));
    expect((await coursesStatus(request, created.token)).status).toBe(401);
    expect((await runTokenCli(["--list", world.users.editor.email])).stdout).toMatch(/nightly.*revoked/);
    // The user's other token is untouched.
    expect((await coursesStatus(request, world.users.editor.token)).status).toBe(200);
  });

  test("explains bad arguments and unknown ids", async () => {
    const fail = (args: string[]) => runTokenCli(args).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(await fail(["--revoke", crypto.randomUUID()])).toMatchObject({ code: 1, stderr: expect.stringContaining("No such API token.") });
    expect(await fail(["--revoke", "abc"])).toMatchObject({ code: 2, stderr: expect.stringContaining("not a token id") });
    expect(await fail(["editor@example.com", "--expires-in-days", "0"])).toMatchObject({ code: 2, stderr: expect.stringContaining("at least 1") });
    expect(await fail(["--list", "nobody@example.com"])).toMatchObject({ code: 1, stderr: expect.stringContaining("No user with email nobody@example.com") });
    expect(await fail(["--list", "editor@example.com", "--revoke", crypto.randomUUID()])).toMatchObject({ code: 2, stderr: expect.stringContaining("Usage") });
  });
});
