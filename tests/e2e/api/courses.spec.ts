import { expect, test } from "@playwright/test";
import { SEED } from "@/dev/seed-data";
import { runTokenCli } from "../e2e-stack";
import { test as worldTest } from "./world";

const COURSES = "/api/v1/education/courses";

test.describe("GET /api/v1/education/courses", () => {
  worldTest("returns only the caller's courses, with role and ordered lessons", async ({ api, world }) => {
    const mine = await api.call<{ id: string; title: string; role: string; lessons: { id: string; title: string }[] }[]>("GET", "/courses", { as: world.users.editor });
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([
      {
        id: world.courseId,
        title: expect.stringMatching(/^Course /),
        description: null,
        role: "editor",
        archivedAt: null,
        version: 1,
        lessons: [
          { id: world.lessonIds[0], title: "One" },
          { id: world.lessonIds[1], title: "Two" },
        ],
      },
    ]);
    const theirs = await api.call<{ title: string; role: string }[]>("GET", "/courses", { as: world.users.outsider });
    expect(theirs.body.data.map(({ title, role }) => ({ title, role }))).toEqual([{ title: expect.stringMatching(/^Other /), role: "owner" }]);
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
  test("prints the token as the last line; the token works", async ({ request }) => {
    const { stdout } = await runTokenCli([SEED.users.editor.email, "--name", "ci"]);
    const token = stdout.trim().split("\n").at(-1) ?? "";
    expect(token).toMatch(/^lct_[A-Za-z0-9_-]{43}$/);
    const response = await request.get(COURSES, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status()).toBe(200);
    expect(((await response.json()) as { data: { title: string; role: string }[] }).data).toContainEqual(
      expect.objectContaining({ title: "Trading Fundamentals", role: "editor" }),
    );
  });

  test("fails with a readable message for an unknown user", async () => {
    const failure = await runTokenCli(["nobody@example.com"]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining("No user with email nobody@example.com") });
  });
});
