/**
 * `npm run test:e2e` runs this first: it makes sure Playwright can launch a Chromium, installing Playwright's own
 * when none is found, and otherwise stops at once with the command to run (instead of every browser test failing).
 */
import "../load-env";
import { spawnSync } from "node:child_process";
import { chromium } from "@playwright/test";
import { chooseChromium, INSTALL_COMMAND, noChromiumMessage } from "../chromium";

async function launches(executablePath: string | undefined): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const browser = await chromium.launch({ executablePath, timeout: 30_000 });
    await browser.close();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error) };
  }
}

function stop(message: string): never {
  console.error(message);
  process.exit(1);
}

const choice = chooseChromium();
if (choice.kind === "invalid") stop(choice.message);

if (choice.kind === "path") {
  const result = await launches(choice.path);
  if (!result.ok) stop(`Chromium at ${choice.path} (${choice.source}) does not start: ${result.error}`);
  console.log(`[check-browser] Chromium: ${choice.path}`);
} else {
  let result = await launches(undefined);
  if (!result.ok && /Executable doesn't exist/i.test(result.error)) {
    console.log(`[check-browser] No Chromium found (no CHROMIUM_PATH, no /usr/bin/chromium, no Playwright browser): ${INSTALL_COMMAND}`);
    const install = spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
    if (install.status !== 0) stop(noChromiumMessage(`\`${INSTALL_COMMAND}\` failed (exit ${install.status ?? install.signal}).`));
    result = await launches(undefined);
  }
  if (!result.ok) stop(noChromiumMessage(result.error));
  console.log(`[check-browser] Chromium: Playwright's own (${chromium.executablePath()})`);
}
