import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { e2eStack } from "./e2e-stack";
import { expect, SEED_PASSWORD, test } from "./fixtures";
import { invitationLink, waitForMail } from "./mail";
import { fetchThrough } from "./route-fetch";
import { LessonsPanel } from "./pages/lessons-panel";
import { InvitationPage, MembersPage } from "./pages/members-page";
import { VideoPage } from "./pages/video-page";

const MiB = 1024 * 1024;

/**
 * Issue 12's whole story in one run, as a course team lives it: nothing here is set up in SQL but the owner's
 * account. The owner creates a course and its lessons, invites an editor by email and a student by link, uploads a
 * batch (one file cut by storage on the way and resumed), orders it, and replaces a lecture while the student
 * watches it.
 */
test("a course team: create a course, invite by email and by link, upload a batch, order it, replace a lecture while a student watches", async ({
  page,
  browser,
  baseURL,
  signInPage,
  coursesPage,
  coursePage,
  lessonsPanel,
  videoPage,
  freshUser,
  realVideo,
}, testInfo) => {
  test.setTimeout(420_000);
  const tag = randomUUID().slice(0, 8);
  const welcome = await realVideo("lesson-1_welcome.mp4", { seconds: 20, width: 640, height: 360 });
  const sets = await realVideo("lesson-2_sets.mp4", { seconds: 4, width: 640, height: 360 });
  const broken = testInfo.outputPath("lesson-3_broken.mp4");
  await writeFile(broken, Buffer.alloc(3 * MiB, 7));
  const rerecorded = await realVideo("lesson-1_welcome-take-2.mp4", { seconds: 6, width: 854, height: 480 });

  // The owner: a new account creates the course and its two lessons.
  await signInPage.goto();
  await signInPage.signIn(freshUser.email, SEED_PASSWORD);
  await coursesPage.expectLoaded();
  await page.getByRole("link", { name: "New course" }).click();
  const title = `Discrete maths ${tag}`;
  const form = page.getByRole("form", { name: "New course" });
  await form.getByLabel("Title").fill(title);
  await form.getByRole("button", { name: "Create course" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(page.getByLabel("Your role: owner")).toBeVisible();
  const courseUrl = page.url();
  const courseId = new URL(courseUrl).pathname.split("/").at(-1) ?? "";
  await lessonsPanel.addLesson("Week 1");
  await lessonsPanel.addLesson("Week 2");

  // An editor by email (the message reaches the test SMTP server), a new student by a copied link.
  const members = new MembersPage(page);
  await members.openFromCourse();
  const editor = `editor-${tag}@example.com`;
  await members.invite(editor, "Editor");
  await expect(members.status).toContainText(`Invited ${editor} as editor.`);
  const mail = await waitForMail(editor);
  expect(mail.subject).toBe(`You're invited to “${title}” on Lectern`);
  expect(invitationLink(mail)).toBe(await members.linkFor(editor).inputValue());
  const student = `student-${tag}@example.com`;
  await members.invite(student, "Viewer");
  const studentLink = await members.linkFor(student).inputValue();

  const studentContext = await browser.newContext({ baseURL });
  const studentPage = await studentContext.newPage();
  const invitation = new InvitationPage(studentPage);
  await invitation.goto(studentLink);
  await invitation.signUp("Sam Student", "a long enough password");
  await expect(studentPage.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(studentPage.getByLabel("Your role: viewer")).toBeVisible();
  const outline = new LessonsPanel(studentPage);
  await expect(studentPage.getByRole("list", { name: "Lessons", exact: true }).getByRole("heading", { level: 3 })).toHaveText(["Week 1", "Week 2"]);

  // Three files at once into Week 1; storage cuts one of them mid-part, and the uploader resumes it by itself.
  await page.goto(courseUrl);
  const admin = storeAdmin(e2eStack().storage.adminEndpoint);
  await page.route("**/api/v1/education/videos/upload-init", async (route) => {
    const response = await fetchThrough(route);
    const body = (await response.json()) as { data?: { videoId: string } };
    if ((route.request().postDataJSON() as { filename?: string }).filename === "lesson-2_sets.mp4" && body.data) {
      await admin.addFault({ kind: "reset", afterBytes: 64 * 1024, count: 1, keyPrefix: `videos/${courseId}/${body.data.videoId}/` });
    }
    await route.fulfill({ response, json: body });
  });
  await coursePage.fileInput.setInputFiles([welcome, sets, broken]);
  const queue = coursePage.queue;
  await expect(queue.getByRole("listitem")).toHaveCount(3);
  await queue.getByLabel("Lesson for these videos").selectOption({ label: "Week 1" });
  await queue.getByRole("button", { name: "Upload 3 videos" }).click();
  for (const name of ["lesson-1_welcome.mp4", "lesson-2_sets.mp4", "lesson-3_broken.mp4"]) {
    await expect(coursePage.queued(name).getByTestId("queue-status")).toHaveText("Uploaded", { timeout: 90_000 });
  }
  // The store lists only rules with faults left to inject: the cut happened.
  expect((await admin.listFaults()).faults.filter((fault) => fault.keyPrefix?.startsWith(`videos/${courseId}/`))).toEqual([]);
  await page.unroute("**/api/v1/education/videos/upload-init");

  // Ordered in the lesson by keyboard; the student sees the ready ones in that order, never the one that failed.
  await page.reload();
  await expect(lessonsPanel.videoTitles("Week 1")).toHaveText([/Lesson 1 welcome/, /Lesson 2 sets/, /Lesson 3 broken/]);
  await lessonsPanel.moveByKeyboard("video", "Lesson 2 sets", -1);
  await expect(lessonsPanel.videoTitles("Week 1")).toHaveText([/Lesson 2 sets/, /Lesson 1 welcome/, /Lesson 3 broken/]);
  await expect(lessonsPanel.saved).toBeVisible();
  await expect
    .poll(
      async () => {
        await studentPage.reload();
        return outline.videoTitles("Week 1").allTextContents();
      },
      { timeout: 180_000, intervals: [2_000] },
    )
    .toEqual(["Lesson 2 sets · 0:04", "Lesson 1 welcome · 0:20"]);
  await expect(studentPage.getByText("Lesson 3 broken")).toHaveCount(0);
  // The owner's panel follows the processing on its own (no reload): two ready, one that could not be read.
  await expect(lessonsPanel.videoTitles("Week 1")).toHaveText([/Lesson 2 sets.*Ready/, /Lesson 1 welcome.*Ready/, /Lesson 3 broken.*Failed/], { timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath("1-course.png"), fullPage: true });

  // The student watches "Lesson 1 welcome" while the owner replaces it with a new take.
  await studentPage.getByRole("link", { name: "Lesson 1 welcome" }).first().click();
  const watcher = new VideoPage(studentPage);
  await watcher.waitUntilPlayable("Lesson 1 welcome");
  await watcher.play("Lesson 1 welcome");
  await expect.poll(() => watcher.currentTime("Lesson 1 welcome"), { timeout: 30_000 }).toBeGreaterThan(0.5);
  // One rendition (360p): nothing to choose between yet.
  await expect(watcher.quality).toHaveCount(0);

  await page.goto(studentPage.url());
  await videoPage.waitUntilPlayable("Lesson 1 welcome");
  await videoPage.replaceWith(rerecorded);
  await expect(page.getByText("Processing the new version (“lesson-1_welcome-take-2.mp4”)")).toBeVisible({ timeout: 60_000 });
  const before = await watcher.currentTime("Lesson 1 welcome");
  await expect.poll(() => watcher.currentTime("Lesson 1 welcome"), { timeout: 10_000 }).toBeGreaterThan(before + 0.5);
  await expect(watcher.quality).toHaveCount(0);

  // Once the new take is published the student's page switches to it, same title and lesson.
  await expect(watcher.quality.getByRole("option")).toHaveText([/^Auto/, "480p", "360p"], { timeout: 150_000 });
  await expect(studentPage.getByRole("heading", { level: 1 })).toContainText("Lesson 1 welcome");
  await watcher.play("Lesson 1 welcome");
  await expect.poll(() => watcher.currentTime("Lesson 1 welcome"), { timeout: 30_000 }).toBeGreaterThan(0.5);
  await studentPage.goto(courseUrl);
  await expect(outline.videoTitles("Week 1")).toHaveText(["Lesson 2 sets · 0:04", "Lesson 1 welcome · 0:06"]);
  await studentContext.close();
});
