import { test as base, expect } from "@playwright/test";
import { SEED, SEED_PASSWORD, type SeedUser } from "@/dev/seed-data";
import { CoursesPage } from "./pages/courses-page";
import { SignInPage } from "./pages/sign-in-page";

type Fixtures = {
  signInPage: SignInPage;
  coursesPage: CoursesPage;
  /** Signs in through the real form as a seeded user and lands on "My courses". */
  signInAs: (user: SeedUser) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  signInPage: async ({ page }, use) => use(new SignInPage(page)),
  coursesPage: async ({ page }, use) => use(new CoursesPage(page)),
  signInAs: async ({ signInPage, coursesPage }, use) => {
    await use(async (user) => {
      await signInPage.goto();
      await signInPage.signIn(SEED.users[user].email, SEED_PASSWORD);
      await coursesPage.expectLoaded();
    });
  },
});

export { expect, SEED, SEED_PASSWORD };
