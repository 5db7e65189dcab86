import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // Server-only modules are exercised directly by integration tests.
      "server-only": path.join(root, "tests/helpers/empty-module.ts"),
    },
  },
  test: {
    pool: "forks",
    projects: [
      {
        // Pure code: no PostgreSQL, no local store, no global setup (`npm run test:unit`).
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          // Nothing listens there: a unit test that reaches for a database or the store fails instead of finding the dev stack.
          env: { DATABASE_URL: "postgres://unit-tests-have-no-database@127.0.0.1:9/none", STORAGE_ENDPOINT: "http://127.0.0.1:9" },
          testTimeout: 10_000,
        },
      },
      {
        // Real PostgreSQL and the local S3 store, started once for the run (`npm run test:integration`).
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/helpers/global-setup.ts"],
          setupFiles: ["tests/helpers/setup-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
