import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import type postgres from "postgres";
import { expect, SEED, SEED_PASSWORD, test } from "./fixtures";
import { CaptionEditorPage } from "./pages/caption-editor";
import { CoursePage } from "./pages/course-page";
import { AnalyticsPanel } from "./pages/analytics-panel";
import { MembersPage } from "./pages/members-page";
import { ProgressPage } from "./pages/progress-page";
import { VideoPage } from "./pages/video-page";
import type { SeedUser } from "@/dev/seed-data";

const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const DESKTOP = { width: 1280, height: 720 };
const PHONE = { width: 320, height: 640 };

/** axe-core's WCAG 2.1 A/AA rules on the whole page (nothing excluded): no serious or critical violation. */
async function expectNoAxeViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const found = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary?.replace(/\s+/g, " ")}`).join(" | ")}`);
  expect.soft(found, `axe WCAG 2.1 A/AA violations on ${name}`).toEqual([]);
}

/**
 * WCAG 1.4.10 at 320 CSS px: the document does not scroll sideways, and no visible element sticks out of the
 * viewport (clipped by an ancestor, so unreachable) unless it is inside a container the user can scroll.
 */
async function expectReflow(page: Page, name: string) {
  await page.setViewportSize(PHONE);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const report = await page.evaluate((width) => {
    const scrollable = (element: Element) => {
      for (let node = element.parentElement; node && node !== document.documentElement; node = node.parentElement) {
        const overflow = getComputedStyle(node).overflowX;
        if ((overflow === "auto" || overflow === "scroll") && node.getBoundingClientRect().right <= width + 1) return true;
      }
      return false;
    };
    const cut: Element[] = [];
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      const rect = element.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1) continue;
      const style = getComputedStyle(element);
      if (style.visibility === "hidden" || style.display === "none") continue;
      if (rect.right <= width + 1 && rect.left >= -1) continue;
      if (scrollable(element)) continue;
      cut.push(element);
    }
    // The innermost ones name the cause (their ancestors only stick out around them).
    const innermost = cut.filter((element) => !cut.some((other) => other !== element && element.contains(other)));
    const describe = (element: Element) => {
      const rect = element.getBoundingClientRect();
      const classes = typeof element.className === "string" && element.className.trim() ? `.${element.className.trim().split(/\s+/).join(".")}` : "";
      return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${classes} "${(element.textContent ?? "").trim().slice(0, 30)}" [${Math.round(rect.left)}–${Math.round(rect.right)}]`;
    };
    return { scrollWidth: document.documentElement.scrollWidth, cut: innermost.slice(0, 15).map(describe) };
  }, PHONE.width);
  expect.soft({ name, ...report }, `reflow at 320 px on ${name}`).toEqual({ name, scrollWidth: expect.any(Number), cut: [] });
  expect.soft(report.scrollWidth, `document width at 320 px on ${name}`).toBeLessThanOrEqual(PHONE.width);
  await page.setViewportSize(DESKTOP);
}

async function expectAccessible(page: Page, name: string) {
  await expectNoAxeViolations(page, name);
  await expectReflow(page, name);
}

async function signedInPage(browser: Browser, user: SeedUser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(SEED.users[user].email);
  await page.getByLabel("Password").fill(SEED_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "My courses", level: 1 })).toBeVisible();
  return page;
}

/** A video row as processing leaves it (no upload needed to show its page and its place in the library). */
async function insertVideo(sql: postgres.Sql, video: { courseId: string; lessonId: string; title: string; status: string; position: number }) {
  const id = randomUUID();
  await sql`insert into videos (id, course_id, lesson_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, position)
    values (${id}, ${video.courseId}, ${video.lessonId}, ${video.title}, 'v.mp4', 'local', 'lectern', ${`videos/${video.courseId}/${id}/source.mp4`}, 1000, 'video/mp4',
      ${video.status}, ${video.position})`;
  return id;
}

const SRT = "1\r\n00:00:01,000 --> 00:00:03,000\r\nHello, class.\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,500\r\nToday: options pricing.\r\n";

test.describe("every page is accessible (axe WCAG 2.1 A/AA, reflow at 320 px)", () => {
  test.use({ viewport: DESKTOP });

  test("signed out: sign-in, not found, an invitation with its sign-up form", async ({ page, browser, baseURL, freshCourse }) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expectAccessible(page, "sign-in");

    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectAccessible(page, "not found (signed out)");

    const staff = await signedInPage(browser, "instructor", baseURL);
    await staff.goto(`/courses/${freshCourse.id}/members`);
    const members = new MembersPage(staff);
    const email = `new-${randomUUID().slice(0, 8)}@example.com`;
    await members.invite(email, "Viewer");
    const link = await members.linkFor(email).inputValue();
    await staff.context().close();

    await page.goto(link);
    await expect(page.getByRole("heading", { name: `Join ${freshCourse.title}`, level: 1 })).toBeVisible();
    await expectAccessible(page, "invitation (signed out, sign-up form)");
  });

  test("staff pages: My courses, new course, course page with library states and upload queue, processing and failed videos, members, API tokens", async ({
    page,
    signInAs,
    coursePage,
    freshCourse,
    sql,
    videoFile,
  }) => {
    test.setTimeout(120_000);
    const [basics] = freshCourse.lessons;
    await insertVideo(sql, { courseId: freshCourse.id, lessonId: basics?.id ?? "", title: "Still encoding", status: "processing", position: 1 });
    const failed = await insertVideo(sql, { courseId: freshCourse.id, lessonId: basics?.id ?? "", title: "Broken upload", status: "failed", position: 2 });
    const processing = await insertVideo(sql, { courseId: freshCourse.id, lessonId: basics?.id ?? "", title: "Queued lecture", status: "processing", position: 3 });

    await signInAs("instructor");
    await expectAccessible(page, "My courses (owner)");
    await page.getByRole("link", { name: "New course" }).click();
    await expect(page.getByRole("form", { name: "New course" })).toBeVisible();
    await expectAccessible(page, "New course");

    await coursePage.goto(freshCourse.id);
    await expect(coursePage.video("Broken upload")).toBeVisible();
    await expectAccessible(page, "course page (owner)");

    // The wizard's details step, then (after a reload) the queue of a batch.
    await coursePage.chooseFile(await videoFile("lecture.mp4", 64 * 1024));
    await expect(coursePage.detailsForm).toBeVisible();
    await expectAccessible(page, "course page, upload details (owner)");
    await coursePage.goto(freshCourse.id);
    await coursePage.dropFiles([
      { name: "week-1_welcome.mp4", size: 64 * 1024 },
      { name: "week-2_sets-and-maps.mp4", size: 64 * 1024 },
    ]);
    await expect(coursePage.queue.getByRole("listitem")).toHaveCount(2);
    await expectAccessible(page, "course page, upload queue (owner)");

    await page.goto(`/courses/${freshCourse.id}/videos/${processing}`);
    await expect(page.getByRole("heading", { name: "Queued lecture", level: 1 })).toBeVisible();
    await expectAccessible(page, "video page, processing (owner)");
    await page.goto(`/courses/${freshCourse.id}/videos/${failed}`);
    await expect(page.getByRole("heading", { name: "Broken upload", level: 1 })).toBeVisible();
    await expectAccessible(page, "video page, failed (owner)");

    await page.goto(`/courses/${freshCourse.id}/members`);
    const members = new MembersPage(page);
    await members.invite(`pending-${randomUUID().slice(0, 8)}@example.com`, "Editor");
    await expect(members.status).toContainText("Invited");
    await expectAccessible(page, "members page (owner)");

    await page.goto("/settings/tokens");
    await page.getByLabel("Token name").fill("Laptop");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByLabel("New API token")).toBeVisible();
    await expectAccessible(page, "API tokens");

    await page.goto("/courses/00000000-0000-4000-8000-000000000000");
    await expectAccessible(page, "not found (signed in)");
  });

  test("a ready video with captions and chapters, its course, search, caption editor, accessibility report and My courses, for owner, editor and viewer", async ({
    page,
    browser,
    baseURL,
    freshCourse,
    readyVideo,
    signInAs,
  }) => {
    test.setTimeout(240_000);
    await signInAs("instructor");
    const { videoId, url } = await readyVideo({ title: "Accessible" });
    const videoUrl = new URL(url).pathname;
    const origin = { origin: new URL(page.url()).origin };
    expect((await page.request.put(`/api/v1/education/videos/${videoId}/captions/en`, { data: { format: "srt", content: SRT }, headers: origin })).status()).toBe(201);
    expect(
      (await page.request.put(`/api/v1/education/videos/${videoId}/chapters`, { data: { chapters: [{ startSeconds: 0, title: "Intro" }, { startSeconds: 5, title: "Pricing" }] }, headers: origin })).status(),
    ).toBe(200);

    for (const user of ["instructor", "editor", "student"] as const) {
      const role = { instructor: "owner", editor: "editor", student: "viewer" }[user];
      const rolePage = user === "instructor" ? page : await signedInPage(browser, user, baseURL);
      await rolePage.goto("/courses");
      await expectAccessible(rolePage, `My courses (${role})`);

      const course = new CoursePage(rolePage);
      await course.goto(freshCourse.id);
      await expect(course.video("Accessible")).toBeVisible();
      await expectAccessible(rolePage, `course page (${role})`);
      await course.search("hello");
      await expect(course.searchResults("hello").getByRole("link", { name: "Accessible" })).toBeVisible();
      await expectAccessible(rolePage, `course search results (${role})`);

      await rolePage.goto(videoUrl);
      const video = new VideoPage(rolePage);
      await video.waitUntilPlayable("Accessible");
      await expect(video.transcriptLine(/Hello, class/)).toBeVisible();
      await expect(video.chapter("Intro")).toBeVisible();
      await expectAccessible(rolePage, `video page, ready with captions and chapters (${role})`);
      if (role !== "viewer") {
        const editor = new CaptionEditorPage(rolePage);
        await editor.open("English");
        await expect(editor.region).toBeVisible();
        await expectAccessible(rolePage, `caption editor (${role})`);
        await rolePage.goto(`/courses/${freshCourse.id}/accessibility`);
        await expect(rolePage.getByRole("heading", { name: `Accessibility of ${freshCourse.title}`, level: 1 })).toBeVisible();
        await expectAccessible(rolePage, `course accessibility report (${role})`);
      }
      if (rolePage !== page) await rolePage.context().close();
    }
  });

  test("analytics panel with a retention curve and chapter marks, and the Progress page (owner, instructor)", async ({ page, browser, baseURL, freshCourse, sql, signInAs }) => {
    const [basics] = freshCourse.lessons;
    const videoId = randomUUID();
    await sql`insert into videos (id, course_id, lesson_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds, position)
      values (${videoId}, ${freshCourse.id}, ${basics?.id ?? ""}, 'Watched lecture', 'v.mp4', 'local', 'lectern', ${`videos/${freshCourse.id}/${videoId}/source.mp4`}, 1000, 'video/mp4', 'ready', 20, 1)`;
    const learner = await signedInPage(browser, "student", baseURL);
    const origin = { origin: new URL(learner.url()).origin };
    const batch = { sessionId: randomUUID(), sequence: 0, position: 12, intervals: [[0, 12]], playbackRate: 1, events: [{ type: "played", at: 0 }] };
    expect((await learner.request.post(`/api/v1/education/videos/${videoId}/watch`, { data: batch, headers: origin })).status()).toBe(200);
    await learner.context().close();

    await signInAs("instructor");
    const chapters = { chapters: [{ startSeconds: 0, title: "Intro" }, { startSeconds: 8, title: "Main part" }] };
    expect((await page.request.put(`/api/v1/education/videos/${videoId}/chapters`, { data: chapters, headers: { origin: new URL(page.url()).origin } })).status()).toBe(200);
    await page.goto(`/courses/${freshCourse.id}/videos/${videoId}`);
    const analytics = new AnalyticsPanel(page);
    await expect(analytics.chart).toBeVisible();
    await analytics.retentionTable();
    await expectAccessible(page, "video page with analytics (owner)");

    const progress = new ProgressPage(page);
    await progress.goto(freshCourse.id);
    await expect(progress.row(SEED.users.student.name)).toBeVisible();
    await expectAccessible(page, "course progress (owner)");
  });
});
