import { expect, test } from "./fixtures";

test.describe("Content-Security-Policy in the browser", () => {
  test("blocks requests to origins it does not list, and the suite's guard reports them", async ({ page, signInPage, cspViolations }) => {
    await signInPage.goto();
    const outcome = await page.evaluate(() => fetch("https://blocked.example.com/steal").then(() => "sent", () => "blocked"));
    expect(outcome).toBe("blocked");
    await expect.poll(() => cspViolations.join("\n")).toContain("connect-src blocked https://blocked.example.com/steal");
    // Provoked on purpose: clear it, or the guard fails this test.
    cspViolations.length = 0;
  });
});
