import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { chromiumExecutablePath } from "@/dev/chromium";
import { SEED } from "@/dev/seed-data";
import { createApiToken, e2eStack } from "./e2e-stack";
import { expect, test } from "./fixtures";

const run = promisify(execFile);
const ROOT = process.cwd();
const EXAMPLE = path.join(ROOT, "examples/playwright-suite");

/** Runs a command; on failure, everything it printed is the error (so CI shows why). */
async function sh(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout: number }) {
  try {
    return await run(command, args, { ...options, maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout}\n${stderr}`);
  }
}

/**
 * This worker's environment without what Playwright set for it (the example is a run of its own, not a worker of this
 * one) and without what `npm test` set: an inherited npm_config_local_prefix would make the example's npm install
 * work on this repository instead.
 */
function ownEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(TEST_|PW_|PLAYWRIGHT_|npm_|NODE_OPTIONS$|FORCE_COLOR$|INIT_CWD$)/i.test(name)) delete env[name];
  return env;
}

/**
 * The kit as another team gets it: `npm run pack:kit` builds and packs @lectern/playwright, the example suite (a
 * project of its own) installs the tarball, is type-checked against the kit's declarations, and runs its tests
 * against this run's server. A breaking change to the kit fails here.
 */
test("the example suite passes with the kit installed from its tarball", async () => {
  test.setTimeout(600_000);
  await sh("npm", ["run", "--silent", "pack:kit"], { cwd: ROOT, env: ownEnvironment(), timeout: 180_000 });
  // A new tarball each run: npm would keep the installed copy of a file: dependency otherwise.
  await rm(path.join(EXAMPLE, "node_modules/@lectern"), { recursive: true, force: true });
  await sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], { cwd: EXAMPLE, env: ownEnvironment(), timeout: 300_000 });
  await sh(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", EXAMPLE], { cwd: EXAMPLE, env: ownEnvironment(), timeout: 120_000 });

  const { stdout } = await sh(process.execPath, [path.join(EXAMPLE, "node_modules/@playwright/test/cli.js"), "test"], {
    cwd: EXAMPLE,
    timeout: 480_000,
    env: {
      ...ownEnvironment(),
      LECTERN_URL: test.info().project.use.baseURL,
      LECTERN_ADMIN_TOKEN: await createApiToken(SEED.users.admin.email),
      LECTERN_STORE_ADMIN_URL: e2eStack().storage.adminEndpoint,
      CHROMIUM_PATH: chromiumExecutablePath(),
    },
  });
  expect(stdout).toMatch(/3 passed/);
});
