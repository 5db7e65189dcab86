import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chooseChromium, chromiumExecutablePath, isExecutable, SYSTEM_CHROMIUM } from "@/dev/chromium";

const none = () => false;

describe("the browser tests' Chromium", () => {
  it("takes CHROMIUM_PATH when it is an executable file, else /usr/bin/chromium, else Playwright's own", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lectern-chromium-"));
    const binary = path.join(dir, "chromium");
    writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });
    expect(chooseChromium({ env: { CHROMIUM_PATH: binary } })).toEqual({ kind: "path", path: binary, source: "CHROMIUM_PATH" });
    expect(chooseChromium({ env: {}, executable: (file) => file === SYSTEM_CHROMIUM })).toEqual({ kind: "path", path: SYSTEM_CHROMIUM, source: "system" });
    expect(chooseChromium({ env: { CHROMIUM_PATH: "" }, executable: none })).toEqual({ kind: "playwright" });
    expect(chromiumExecutablePath({ CHROMIUM_PATH: binary })).toBe(binary);
  });

  it("reports a CHROMIUM_PATH that is missing or not executable instead of quietly using another browser", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lectern-chromium-"));
    const notExecutable = path.join(dir, "chromium");
    writeFileSync(notExecutable, "", { mode: 0o644 });
    expect(isExecutable(notExecutable)).toBe(false);
    for (const given of [path.join(dir, "missing"), notExecutable]) {
      const choice = chooseChromium({ env: { CHROMIUM_PATH: given }, executable: (file) => file === SYSTEM_CHROMIUM || isExecutable(file) });
      expect(choice.kind).toBe("invalid");
      expect(choice.kind === "invalid" && choice.message).toContain(`CHROMIUM_PATH is ${given}, which is not an executable file`);
      expect(choice.kind === "invalid" && choice.message).toContain("npx playwright install chromium");
    }
  });

  it("stops `npm run test:e2e` at once, before the build, when CHROMIUM_PATH points at a missing file", () => {
    const missing = path.join(tmpdir(), "lectern-no-such-chromium");
    const started = Date.now();
    const run = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "dev/cli/check-browser.ts"], {
      env: { ...process.env, CHROMIUM_PATH: missing },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`CHROMIUM_PATH is ${missing}, which is not an executable file`);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
