import { expect, test } from "@playwright/test";
import { SEED } from "@/dev/seed-data";
import { createApiToken, runTokenCli } from "../e2e-stack";

const COURSES = "/api/v1/education/courses";

test.describe("GET /api/v1/education/courses", () => {
  test("returns only the caller's courses, with role and ordered lessons", async ({ request }) => {
    const token = await createApiToken(SEED.users.instructor.email);
    const response = await request.get(COURSES, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({
      data: [
        {
          id: SEED.courses.trading.id,
          title: "Trading Fundamentals",
          role: "owner",
          lessons: [
            { id: SEED.lessons.candlesticks.id, title: "Candlesticks" },
            { id: SEED.lessons.risk.id, title: "Risk management" },
          ],
        },
      ],
    });

    const other = await createApiToken(SEED.users.other.email);
    const theirs = await request.get(COURSES, { headers: { authorization: `Bearer ${other}` } });
    expect(((await theirs.json()) as { data: { title: string }[] }).data.map((course) => course.title)).toEqual(["Options Basics"]);
  });

  for (const [name, headers] of [
    ["no credentials", {}],
    ["a malformed header", { authorization: "Basic dXNlcjpwYXNz" }],
    ["an unknown token", { authorization: `Bearer lct_${"x".repeat(43)}` }],
  ] as const) {
    test(`answers 401 unauthorized to ${name}`, async ({ request }) => {
      const response = await request.get(COURSES, { headers });
      expect(response.status()).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    });
  }

  test("unknown API paths answer 404 in the API's error shape", async ({ request }) => {
    const response = await request.post("/api/v1/education/nothing-here");
    expect(response.status()).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

test.describe("npm run token", () => {
  test("prints the token as the last line", async () => {
    const { stdout } = await runTokenCli([SEED.users.editor.email, "--name", "ci"]);
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^lct_[A-Za-z0-9_-]{43}$/);
  });

  test("fails with a readable message for an unknown user", async () => {
    const failure = await runTokenCli(["nobody@example.com"]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining("No user with email nobody@example.com") });
  });
});
