import { expect, test } from "@playwright/test";

test("the health check reaches the database and the storage bucket", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", checks: { database: true, storage: true } });
});
