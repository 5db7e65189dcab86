import {
  test as base,
  type PlaywrightTestArgs,
  type PlaywrightTestOptions,
  type PlaywrightWorkerArgs,
  type PlaywrightWorkerOptions,
  type TestType,
} from "@playwright/test";
import { adminApi } from "./api";
import { LecternError } from "./errors";
import { createLectern } from "./lectern";
import { Library } from "./pages/library";
import { Player } from "./pages/player";
import { UploadWizard } from "./pages/upload-wizard";
import type { Lectern, LecternOptions } from "./types";

export { expect } from "@playwright/test";
export { LecternError } from "./errors";
export { Library } from "./pages/library";
export { Player } from "./pages/player";
export { UploadWizard, type WizardDetails } from "./pages/upload-wizard";
export type * from "./types";

export type LecternFixtures = {
  /** Courses, users, fixture videos, uploads and storage faults for this test (see docs/testing.md). */
  lectern: Lectern;
  uploadWizard: UploadWizard;
  library: Library;
  player: Player;
};

export type LecternWorkerOptions = {
  /** `use: { lecternOptions: { url, adminToken, storeAdminUrl, ffmpegPath, fixtureCacheDir } }` in playwright.config. */
  lecternOptions: LecternOptions;
};

/** Playwright's `test` with Lectern's fixtures. */
// Spelled out so the declarations name "@playwright/test", the package suites have, not its internals.
export const test: TestType<PlaywrightTestArgs & PlaywrightTestOptions & LecternFixtures, PlaywrightWorkerArgs & PlaywrightWorkerOptions & LecternWorkerOptions> = base.extend<
  LecternFixtures,
  LecternWorkerOptions
>({
  lecternOptions: [{}, { option: true, scope: "worker" }],
  lectern: async ({ lecternOptions, playwright, baseURL }, use) => {
    const url = lecternOptions.url ?? process.env.LECTERN_URL ?? baseURL;
    if (!url) throw new LecternError("Where is Lectern? Set LECTERN_URL (or lecternOptions.url, or use.baseURL) to the app's address, e.g. http://localhost:3000.");
    const adminToken = lecternOptions.adminToken ?? process.env.LECTERN_ADMIN_TOKEN;
    if (!adminToken) {
      throw new LecternError("Set LECTERN_ADMIN_TOKEN (or lecternOptions.adminToken): an API token of a user listed in the server's ADMIN_EMAILS (npm run token -- <email> on the server).");
    }
    const options: LecternOptions = {
      ...lecternOptions,
      url,
      adminToken,
      storeAdminUrl: lecternOptions.storeAdminUrl ?? process.env.LECTERN_STORE_ADMIN_URL,
    };
    const lectern = createLectern({
      url,
      options,
      api: adminApi({ url, token: adminToken }),
      newRequest: () => playwright.request.newContext({ baseURL: url }),
    });
    await use(lectern);
    await lectern.dispose();
  },
  uploadWizard: async ({ page }, use) => use(new UploadWizard(page)),
  library: async ({ page }, use) => use(new Library(page)),
  player: async ({ page }, use) => use(new Player(page)),
});
