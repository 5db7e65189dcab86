import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { expect } from "@playwright/test";
import postgres from "postgres";
import { SEED, SEED_PASSWORD, type SeedUser } from "@/dev/seed-data";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { test as kit } from "@/kit/src";
import { createStorage, type Storage } from "@/lib/storage/storage";
import { createApiToken, e2eStack } from "./e2e-stack";
import { CoursePage } from "./pages/course-page";
import { CoursesPage } from "./pages/courses-page";
import { LessonsPanel } from "./pages/lessons-panel";
import { SignInPage } from "./pages/sign-in-page";
import { TokensPage } from "./pages/tokens-page";
import { VideoPage } from "./pages/video-page";
import { makeVideoFixture } from "../helpers/video-fixtures";

/** A course of its own for one test, where the seeded users have their usual roles. */
export type FreshCourse = { id: string; title: string; lessons: { id: string; title: string }[]; storagePrefix: string };

type Fixtures = {
  /**
   * Content-Security-Policy violations on the pages this test visits. Every browser test fails when any remain at
   * its end (see `page` below); a test that provokes one on purpose checks and clears it.
   */
  cspViolations: string[];
  signInPage: SignInPage;
  coursesPage: CoursesPage;
  coursePage: CoursePage;
  lessonsPanel: LessonsPanel;
  freshCourse: FreshCourse;
  /** Writes a fixture "video" of `size` bytes (generated, never committed) and returns its path. */
  videoFile: (name: string, size: number) => Promise<string>;
  /** A real H.264/AAC MP4 (test pattern and tone), made with ffmpeg. */
  realVideo: (name: string, shape: { seconds: number; width: number; height: number }) => Promise<string>;
  videoPage: VideoPage;
  /**
   * A real video (made with ffmpeg, `seconds` long, 640×360 unless told) uploaded through the wizard into this test's
   * course by the signed-in user (in `lesson` when given) and processed until it plays; the page is left on the video's page.
   */
  readyVideo: (video: { title: string; seconds?: number; width?: number; height?: number; lesson?: string }) => Promise<{ videoId: string; url: string }>;
  tokensPage: TokensPage;
  /** Makes the local store misbehave for this test's uploads only. */
  storeFault: (fault: Record<string, unknown>) => Promise<void>;
  /** Signs in through the real form as a seeded user and lands on "My courses". */
  signInAs: (user: SeedUser) => Promise<void>;
  /** A user of this test alone (signing it out everywhere disturbs no other test); its password is SEED_PASSWORD. */
  freshUser: { id: string; email: string };
};

/**
 * Dogfooding: the project's own tests get @lectern/playwright's fixtures (`lectern`, `uploadWizard`, `library`,
 * `player`; see docs/testing.md), from its source, configured for this run's server: the seeded admin's token (the e2e
 * stack lists it in ADMIN_EMAILS) and the local store's admin endpoint.
 */
const base = kit.extend({
  lecternOptions: [
    async ({}, use, workerInfo) => {
      const url = workerInfo.project.use.baseURL;
      await use({ url, adminToken: await createApiToken(SEED.users.admin.email), storeAdminUrl: e2eStack().storage.adminEndpoint });
    },
    { scope: "worker" },
  ],
});

export const test = base.extend<Fixtures, { sql: postgres.Sql; mediaStorage: Storage }>({
  sql: [
    async ({}, use) => {
      const sql = postgres(e2eStack().databaseUrl, { max: 2, onnotice: () => {} });
      await use(sql);
      await sql.end();
    },
    { scope: "worker" },
  ],
  /** The e2e stack's store, as the worker writes to it (for tests that play a step of processing themselves). */
  mediaStorage: [
    async ({}, use) => {
      const env = e2eStack().storage;
      const storage = createStorage({
        endpoint: env.STORAGE_ENDPOINT,
        region: env.STORAGE_REGION,
        bucket: env.STORAGE_BUCKET,
        credentials: { accessKeyId: env.STORAGE_ACCESS_KEY, secretAccessKey: env.STORAGE_SECRET_KEY },
        forcePathStyle: true,
        provider: "local",
      });
      await use(storage);
      storage.destroy();
    },
    { scope: "worker" },
  ],
  cspViolations: async ({}, use) => use([]),
  // Wraps the page of every browser test (API tests never create one): CSP violations, reported by the document's
  // securitypolicyviolation event (workers' included) and by Chromium's console, fail the test.
  page: async ({ page, cspViolations }, use) => {
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    await page.exposeFunction("__reportCspViolation", (report: string) => cspViolations.push(report));
    await page.addInitScript(() => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      document.addEventListener("securitypolicyviolation", (event) => {
        report(`${location.href}: ${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"}${event.sample ? ` (${event.sample})` : ""} from [${event.sourceFile}:${event.lineNumber}]`);
      });
    });
    await use(page);
    expect(cspViolations, "Content-Security-Policy violations on the pages visited").toEqual([]);
  },
  signInPage: async ({ page }, use) => use(new SignInPage(page)),
  coursesPage: async ({ page }, use) => use(new CoursesPage(page)),
  coursePage: async ({ page }, use) => use(new CoursePage(page)),
  lessonsPanel: async ({ page }, use) => use(new LessonsPanel(page)),
  videoPage: async ({ page }, use) => use(new VideoPage(page)),
  tokensPage: async ({ page }, use) => use(new TokensPage(page)),
  realVideo: async ({}, use, testInfo) => {
    await use((name, shape) => makeVideoFixture({ path: testInfo.outputPath(name), ...shape }));
  },
  readyVideo: async ({ page, coursePage, videoPage, freshCourse, realVideo }, use) => {
    await use(async ({ title, seconds = 8, width = 640, height = 360, lesson }) => {
      const file = await realVideo(`${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.mp4`, { seconds, width, height });
      await coursePage.goto(freshCourse.id);
      await coursePage.uploadVideo(file, { title, lesson });
      await page.getByRole("link", { name: `Open ${title}` }).click();
      await videoPage.waitUntilPlayable(title);
      const url = page.url();
      return { videoId: /\/videos\/([0-9a-f-]{36})/.exec(url)?.[1] ?? "", url };
    });
  },
  freshCourse: async ({ sql }, use) => {
    const id = randomUUID();
    const title = `Course ${id.slice(0, 8)}`;
    const lessons = [
      { id: randomUUID(), title: "Basics" },
      { id: randomUUID(), title: "Practice" },
    ];
    await sql`insert into courses (id, title) values (${id}, ${title})`;
    for (const [index, lesson] of lessons.entries()) {
      await sql`insert into lessons (id, course_id, title, position) values (${lesson.id}, ${id}, ${lesson.title}, ${index + 1})`;
    }
    for (const [user, role] of [["instructor", "owner"], ["editor", "editor"], ["student", "viewer"]] as const) {
      await sql`insert into course_members (course_id, user_id, role) values (${id}, ${SEED.users[user].id}, ${role})`;
    }
    await use({ id, title, lessons, storagePrefix: `videos/${id}/` });
  },
  videoFile: async ({}, use, testInfo) => {
    await use(async (name, size) => {
      const file = testInfo.outputPath(name);
      const data = Buffer.alloc(size);
      for (let i = 0; i + 4 <= size; i += 4096) data.writeUInt32LE((i * 2654435761) >>> 0, i);
      await writeFile(file, data);
      return file;
    });
  },
  storeFault: async ({ freshCourse }, use) => {
    const admin = storeAdmin(e2eStack().storage.adminEndpoint);
    await use(async (fault) => {
      await admin.addFault({ keyPrefix: freshCourse.storagePrefix, ...fault });
    });
  },
  // Through the admin API (the kit's lectern.user), not SQL.
  freshUser: async ({ lectern }, use) => {
    const { id, email } = await lectern.user({ name: "Fresh User", password: SEED_PASSWORD });
    await use({ id, email });
  },
  signInAs: async ({ signInPage, coursesPage }, use) => {
    await use(async (user) => {
      await signInPage.goto();
      await signInPage.signIn(SEED.users[user].email, SEED_PASSWORD);
      await coursesPage.expectLoaded();
    });
  },
});

export { expect, SEED, SEED_PASSWORD };
