import { expect, type Locator, type Page } from "@playwright/test";

/** The lessons panel of a course page (owners, instructors), and the learners' outline. */
export class LessonsPanel {
  constructor(readonly page: Page) {}

  get lessonList(): Locator {
    return this.page.getByRole("list", { name: "Lessons", exact: true });
  }
  /** The lessons' titles, in the order shown (the panel's list items, not their videos'). */
  async lessonTitles(): Promise<string[]> {
    return this.lessonList.locator(":scope > li").evaluateAll((items) => items.map((item) => item.querySelector(".inline-edit, h3")?.textContent?.trim() ?? ""));
  }
  videoTitles(lesson: string): Locator {
    return this.page.getByRole("list", { name: `Videos of ${lesson}` }).getByRole("listitem");
  }
  handle(noun: "lesson" | "video", title: string): Locator {
    return this.page.getByRole("button", { name: `Move ${noun} ${title}`, exact: true });
  }
  get saved(): Locator {
    return this.page.getByRole("status").filter({ hasText: "All changes saved" });
  }

  async addLesson(title: string) {
    const before = await this.lessonList.locator(":scope > li").count();
    await this.page.getByLabel("New lesson name").fill(title);
    await this.page.getByRole("button", { name: "Add lesson" }).click();
    await expect(this.lessonList.locator(":scope > li")).toHaveCount(before + 1);
    await expect(this.page.getByRole("button", { name: `Edit lesson name ${title}: ${title}` })).toBeVisible();
  }

  /** Space picks the item up, each arrow press moves it one place, Space drops it. */
  async moveByKeyboard(noun: "lesson" | "video", title: string, steps: number) {
    const handle = this.handle(noun, title);
    await handle.focus();
    await this.page.keyboard.press("Space");
    // Each step waits for the screen reader announcement: the sensor measures the list before it can move.
    // Picking up announces the place, at once replaced by "is over" the same place.
    const picked = this.announcement(new RegExp(`^(Picked up ${noun} ${title}, at|${noun} ${title} is over) position (\\d+) of`));
    await expect(picked).toBeVisible();
    const start = Number(/position (\d+)/.exec((await picked.textContent()) ?? "")?.[1]);
    for (let step = 1; step <= Math.abs(steps); step++) {
      await this.page.keyboard.press(steps > 0 ? "ArrowDown" : "ArrowUp");
      await expect(this.announcement(`${noun} ${title} is over position ${start + Math.sign(steps) * step} of`)).toBeVisible();
    }
    await this.page.keyboard.press("Space");
    await expect(this.announcement(`${noun} ${title} dropped at position ${start + steps} of`)).toBeVisible();
  }

  /** dnd-kit's live region: what a screen reader says while an item moves. */
  announcement(text: string | RegExp): Locator {
    return this.page.getByRole("status").filter({ hasText: text });
  }

  /** Drags the item's handle with the mouse onto another item. */
  async drag(noun: "lesson" | "video", title: string, onto: string) {
    const from = await this.handle(noun, title).boundingBox();
    const to = await this.handle(noun, onto).boundingBox();
    if (!from || !to) throw new Error("handles not visible");
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    // Past the sensor's activation distance first, then over the target in steps, as a hand would. Each stage waits
    // for the library's announcement, so a busy machine cannot drop the pointer before the drag has begun or arrived.
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + 10, { steps: 3 });
    const picked = this.announcement(new RegExp(`^(Picked up ${noun} ${title}, at|${noun} ${title} is over) position (\\d+) of`));
    await expect(picked).toBeVisible();
    const start = /position (\d+)/.exec((await picked.textContent()) ?? "")?.[1];
    await this.page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    const over = this.announcement(new RegExp(`^${noun} ${title} is over position`));
    await expect.poll(async () => /position (\d+)/.exec((await over.textContent()) ?? "")?.[1]).not.toBe(start);
    await this.page.mouse.up();
  }
}
