import type { Page } from "@playwright/test";

/** The caption editor on a video page (opened from Manage captions). */
export class CaptionEditorPage {
  constructor(private readonly page: Page) {}

  get region() {
    return this.page.getByRole("region", { name: /^Edit captions: / });
  }
  async open(label: string) {
    await this.page.getByRole("region", { name: "Manage captions" }).getByRole("button", { name: `Edit captions ${label}` }).click();
  }
  get cues() {
    return this.region.getByRole("group", { name: /^Cue \d+$/ });
  }
  cue(number: number) {
    return this.region.getByRole("group", { name: `Cue ${number}`, exact: true });
  }
  start(number: number) {
    return this.region.getByLabel(`Start of cue ${number}`, { exact: true });
  }
  end(number: number) {
    return this.region.getByLabel(`End of cue ${number}`, { exact: true });
  }
  text(number: number) {
    return this.region.getByLabel(`Text of cue ${number}`, { exact: true });
  }
  button(name: string) {
    return this.region.getByRole("button", { name, exact: true });
  }
  async shiftAll(seconds: number) {
    await this.region.getByLabel("Shift all cues by (seconds)").fill(String(seconds));
    await this.button("Shift all cues").click();
  }
  get save() {
    return this.button("Save captions");
  }
  get saveStatus() {
    return this.region.getByRole("status").filter({ hasText: /Saving…|All changes saved/ });
  }
  get alert() {
    return this.region.getByRole("alert");
  }
  /** Whether leaving the page now would make the browser ask first (a beforeunload listener cancels the event). */
  leaveWarns() {
    return this.page.evaluate(() => {
      const event = new Event("beforeunload", { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
  }
  /** Each cue as [start, end, text], as the inputs show them. */
  async values(): Promise<string[][]> {
    const rows: string[][] = [];
    for (let number = 1; number <= (await this.cues.count()); number++) {
      rows.push([await this.start(number).inputValue(), await this.end(number).inputValue(), await this.text(number).inputValue()]);
    }
    return rows;
  }
}
