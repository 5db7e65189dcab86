import { defineConfig, devices } from "@playwright/test";
import { chromiumExecutablePath } from "./dev/chromium";

const port = Number(process.env.E2E_PORT || 3100);
const baseURL = `http://localhost:${port}`;
const isCI = Boolean(process.env.CI);

// CHROMIUM_PATH, else Debian's Chromium where present, else Playwright's own (`npm run test:e2e` checks first that
// one launches: dev/cli/check-browser.ts).
const chromiumPath = chromiumExecutablePath();

export default defineConfig({
  testDir: "tests/e2e",
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  workers: isCI ? 2 : undefined,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: isCI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "api", testDir: "tests/e2e/api" },
    {
      name: "chromium",
      testIgnore: /tests\/e2e\/api\//,
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromiumPath,
          // The machine has no network: keep Chromium from trying to phone home.
          args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        },
      },
    },
  ],
  webServer: {
    // Production build (`next build` runs first in `npm run test:e2e`) on a fresh, seeded test database.
    command: "tsx --conditions=react-server dev/stack.ts --e2e",
    url: `${baseURL}/api/health`,
    env: { PORT: String(port) },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
