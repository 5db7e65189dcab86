import { accessSync, constants } from "node:fs";

/** Debian's Chromium, used when present (machines that cannot download Playwright's own browser). */
export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export const INSTALL_COMMAND = "npx playwright install chromium";

export type ChromiumChoice =
  | { kind: "path"; path: string; source: "CHROMIUM_PATH" | "system" }
  | { kind: "playwright" }
  | { kind: "invalid"; message: string };

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which Chromium the browser tests run: CHROMIUM_PATH when set (a set path that is not an executable file is a
 * mistake to report, not a reason to quietly use another browser), else /usr/bin/chromium, else Playwright's own.
 */
export function chooseChromium({
  env = process.env,
  executable = isExecutable,
}: { env?: Record<string, string | undefined>; executable?: (file: string) => boolean } = {}): ChromiumChoice {
  const given = env.CHROMIUM_PATH?.trim();
  if (given) {
    if (executable(given)) return { kind: "path", path: given, source: "CHROMIUM_PATH" };
    return {
      kind: "invalid",
      message:
        `CHROMIUM_PATH is ${given}, which is not an executable file. Point it at a Chromium binary, or unset it to use ` +
        `${SYSTEM_CHROMIUM} or Playwright's own browser (\`${INSTALL_COMMAND}\`).`,
    };
  }
  if (executable(SYSTEM_CHROMIUM)) return { kind: "path", path: SYSTEM_CHROMIUM, source: "system" };
  return { kind: "playwright" };
}

/** The executablePath to give Playwright: undefined means its own browser. */
export function chromiumExecutablePath(env: Record<string, string | undefined> = process.env): string | undefined {
  const choice = chooseChromium({ env });
  if (choice.kind === "path") return choice.path;
  return choice.kind === "invalid" ? env.CHROMIUM_PATH : undefined;
}

/** What to tell someone whose machine has no Chromium that Playwright can launch. */
export function noChromiumMessage(reason: string): string {
  return [
    `No Chromium for the browser tests: ${reason}`,
    `Install Playwright's own:        ${INSTALL_COMMAND}`,
    `or, where it cannot be downloaded: sudo apt-get install chromium   (or set CHROMIUM_PATH to a Chromium binary)`,
  ].join("\n");
}
