import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// LECTERN_URL, LECTERN_ADMIN_TOKEN and LECTERN_STORE_ADMIN_URL come from the environment (Lectern's own e2e run sets
// them: tests/e2e/kit-example.spec.ts); `use: { lecternOptions: { … } }` could set them here instead.
const executablePath = process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "tests",
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: process.env.LECTERN_URL,
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: { executablePath, args: ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] },
  },
});
