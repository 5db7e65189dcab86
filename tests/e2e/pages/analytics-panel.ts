import { expect, type Page } from "@playwright/test";

/** The Analytics panel on a video's page (owners and instructors). */
export class AnalyticsPanel {
  constructor(readonly page: Page) {}

  get region() {
    return this.page.getByRole("region", { name: "Analytics" });
  }
  /** A figure by its term: "Views", "Unique viewers", "Total watch time", "Average share watched", "Completion rate". */
  figure(term: string) {
    return this.region
      .locator("dl > div")
      .filter({ has: this.page.getByRole("term").getByText(term, { exact: true }) })
      .getByRole("definition");
  }
  get chart() {
    return this.region.getByRole("img", { name: /^Retention curve/ });
  }
  get chartLine() {
    return this.chart.getByTestId("retention-line");
  }
  get chapterMarks() {
    return this.chart.getByTestId("chapter-mark");
  }
  /** Opens "Retention as a table" and returns its table. */
  async retentionTable() {
    await this.region.getByText("Retention as a table").click();
    return this.region.getByRole("table", { name: "Share of viewers who watched each tenth of the video" });
  }
  async showRange({ from, to }: { from: string; to: string }) {
    await this.region.getByLabel("From").fill(from);
    await this.region.getByLabel("To").fill(to);
    await this.region.getByRole("button", { name: "Show" }).click();
  }
  async expectLoaded() {
    await expect(this.region.getByRole("heading", { name: "Analytics", level: 2 })).toBeVisible();
  }
}
