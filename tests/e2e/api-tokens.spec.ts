import { randomUUID } from "node:crypto";
import { expect, SEED_PASSWORD, test } from "./fixtures";

test.describe("API tokens page", () => {
  test("a user creates a token (shown once), sees its use and expiry, and revokes it", async ({ page, request, sql, signInPage, coursesPage, tokensPage }) => {
    // A user of its own, so no other test's tokens show up; same password as the seeded accounts.
    const email = `tokens-${randomUUID().slice(0, 8)}@example.com`;
    await sql`insert into users (email, name, password_hash) select ${email}, 'Token Tester', password_hash from users where email = 'student@example.com'`;
    await signInPage.goto();
    await signInPage.signIn(email, SEED_PASSWORD);
    await coursesPage.expectLoaded();

    await tokensPage.open();
    await expect(page.getByText("You have no API tokens.")).toBeVisible();

    await tokensPage.create("", "Never");
    await expect(page.getByText("Name is required.")).toBeVisible();

    const invalid = await page.request.post("/api/v1/tokens", { data: { name: "x", expiresInDays: 0 }, headers: { origin: new URL(page.url()).origin } });
    expect(invalid.status()).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: "validation_error", details: { fieldErrors: { expiresInDays: [expect.stringContaining("at least 1")] } } } });

    await tokensPage.create("laptop", "30 days");
    await expect(tokensPage.createdToken).toHaveValue(/^lct_[A-Za-z0-9_-]{43}$/);
    const token = await tokensPage.createdToken.inputValue();
    await expect(tokensPage.cell("laptop", "Status")).toHaveText("Active");
    await expect(tokensPage.cell("laptop", "Last used")).toHaveText("Never");
    const expires = await tokensPage.cell("laptop", "Expires").locator("time").getAttribute("datetime");
    expect((Date.parse(expires ?? "") - Date.now()) / 86_400_000).toBeCloseTo(30, 1);

    const courses = await request.get("/api/v1/education/courses", { headers: { authorization: `Bearer ${token}` } });
    expect(courses.status()).toBe(200);

    // Reloaded: the use is recorded, and the token itself is never shown again.
    await page.reload();
    await tokensPage.expectLoaded();
    await expect(tokensPage.cell("laptop", "Last used").locator("time")).toBeVisible();
    await expect(tokensPage.createdToken).toHaveCount(0);
    expect(await page.content()).not.toContain(token.slice(4));
    await expect(tokensPage.table.getByRole("row")).toHaveCount(2);

    await tokensPage.revoke("laptop");
    await expect(tokensPage.cell("laptop", "Status")).toHaveText(/^Revoked/);
    await expect(tokensPage.row("laptop").getByRole("button", { name: "Revoke laptop" })).toHaveCount(0);
    const after = await request.get("/api/v1/education/courses", { headers: { authorization: `Bearer ${token}` } });
    expect(after.status()).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: "unauthorized", message: expect.stringContaining("revoked") } });
  });

  test("the page and its API need a session", async ({ page, request }) => {
    await page.goto("/settings/tokens");
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await request.get("/api/v1/tokens")).status()).toBe(401);
  });
});
