import type { Page } from "@playwright/test";
import { expect, SEED, SEED_PASSWORD, test } from "./fixtures";
import { CoursesPage } from "./pages/courses-page";
import { SignInPage } from "./pages/sign-in-page";

test.describe("sign-in and my courses", () => {
  test("the instructor signs in and sees their course as owner", async ({ page, signInAs, coursesPage }) => {
    await signInAs("instructor");
    const course = coursesPage.course("Trading Fundamentals");
    await expect(course).toBeVisible();
    await expect(course.getByLabel("Your role: owner")).toBeVisible();
    await expect(coursesPage.course("Options Basics")).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath("my-courses.png"), fullPage: true });

    await coursesPage.open("Trading Fundamentals");
    const lessons = page.getByRole("region", { name: "Lessons" }).getByRole("listitem");
    await expect(lessons).toHaveText(["Candlesticks", "Risk management"]);
  });

  test("a student sees the course with the viewer role", async ({ signInAs, coursesPage }) => {
    await signInAs("student");
    await expect(coursesPage.course("Trading Fundamentals").getByLabel("Your role: viewer")).toBeVisible();
  });

  test("a wrong password shows a readable message and keeps the email", async ({ page, signInPage }) => {
    await signInPage.goto();
    await signInPage.signIn(SEED.users.instructor.email, "not-the-password");
    await expect(signInPage.alert).toHaveText("Wrong email or password.");
    await expect(page.getByLabel("Email")).toHaveValue(SEED.users.instructor.email);
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("an invalid email is explained next to the field", async ({ page, signInPage }) => {
    await signInPage.goto();
    await signInPage.signIn("not-an-email", SEED_PASSWORD);
    await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  });

  test("pages need a session, and signing out ends it", async ({ page, signInAs, coursesPage }) => {
    await page.goto("/courses");
    await expect(page).toHaveURL(/\/sign-in/);

    await signInAs("editor");
    await coursesPage.signOut();
    await page.goto("/courses");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a course the user is not a member of is not found", async ({ page, signInAs }) => {
    await signInAs("other");
    const response = await page.goto(`/courses/${SEED.courses.trading.id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  });

  test("the session cookie also authenticates the API", async ({ page, signInAs }) => {
    await signInAs("student");
    const response = await page.request.get("/api/v1/education/courses");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { data: { title: string; role: string }[] };
    // Other tests add the seeded users to courses of their own, so look for this course rather than count them.
    expect(body.data).toContainEqual(expect.objectContaining({ title: "Trading Fundamentals", role: "viewer" }));
    expect(body.data.map((course) => course.title)).not.toContain("Options Basics");
  });

  test("a signed-in instructor starts and aborts an upload with the session cookie alone", async ({ page, signInAs, baseURL }) => {
    await signInAs("instructor");
    // As the app's own pages do: a browser sends its Origin with every POST (the CSRF check wants it).
    const headers = { origin: baseURL ?? "" };
    const init = await page.request.post("/api/v1/education/videos/upload-init", {
      headers,
      data: { courseId: SEED.courses.trading.id, filename: "intro.mp4", fileSize: 1234, contentType: "video/mp4", metadata: { title: "Intro" } },
    });
    expect(init.status()).toBe(201);
    const { data } = (await init.json()) as { data: { videoId: string } };
    const abort = await page.request.post(`/api/v1/education/videos/${data.videoId}/abort`, { headers });
    expect(abort.status()).toBe(200);
    expect(((await abort.json()) as { data: { status: string } }).data.status).toBe("aborted");
  });
});

test.describe("sessions end on the server", () => {
  const sessionCookie = async (page: Page) => {
    const cookie = (await page.context().cookies()).find((c) => c.name.endsWith("authjs.session-token"));
    if (!cookie) throw new Error("no session cookie after signing in");
    return `${cookie.name}=${cookie.value}`;
  };

  test("a session cookie captured before signing out is refused afterwards", async ({ page, request, signInAs, coursesPage }) => {
    await signInAs("editor");
    const captured = await sessionCookie(page);
    const before = await request.get("/api/v1/education/courses", { headers: { cookie: captured } });
    expect(before.status()).toBe(200);

    await coursesPage.signOut();
    const after = await request.get("/api/v1/education/courses", { headers: { cookie: captured } });
    expect(after.status()).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    // Pages refuse it too.
    const pageAfter = await request.get("/courses", { headers: { cookie: captured }, maxRedirects: 0 });
    expect(pageAfter.status()).toBe(307);
    expect(pageAfter.headers().location).toContain("/sign-in");
  });

  test("signing out everywhere ends the user's session in another browser", async ({ browser, page, freshUser, signInPage, coursesPage }) => {
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    try {
      for (const [p, signIn] of [[page, signInPage], [otherPage, new SignInPage(otherPage)]] as const) {
        await signIn.goto();
        await signIn.signIn(freshUser.email, SEED_PASSWORD);
        await new CoursesPage(p).expectLoaded();
      }
      const otherCookie = await sessionCookie(otherPage);

      await coursesPage.signOutEverywhere();
      await otherPage.goto("/courses");
      await expect(otherPage).toHaveURL(/\/sign-in/);
      const api = await page.request.get("/api/v1/education/courses", { headers: { cookie: otherCookie } });
      expect(api.status()).toBe(401);
    } finally {
      await other.close();
    }
  });

  test("many wrong passwords are throttled with a readable message", async ({ page, signInPage }) => {
    // An email of this test alone: the limit counts unknown emails too, and other tests sign in as the seeded users.
    const email = `throttled-${Date.now()}@example.com`;
    await signInPage.goto();
    for (let attempt = 1; attempt <= 10; attempt++) {
      await signInPage.signIn(email, `wrong-${attempt}`);
      await expect(signInPage.alert).toHaveText("Wrong email or password.");
      // A fresh page per attempt, so each alert is the answer to that attempt.
      await signInPage.goto();
    }
    await signInPage.signIn(email, "wrong-11");
    await expect(signInPage.alert).toHaveText(/^Too many sign-in attempts\. Wait (15 minutes|14 minutes) and try again\.$/);
    await expect(page.getByLabel("Email")).toHaveValue(email);
  });
});
