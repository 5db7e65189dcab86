import "server-only";
import { addToCounters, type CounterIncrement } from "@/db/queries/metrics";
import { log } from "@/lib/logger";
import { histogramIncrements, labelKey, type Labels } from "./exposition";
import type { HistogramFamily } from "./families";

/**
 * Counters every process adds to in PostgreSQL (`metric_counters`), so that one scrape of any app process sees the
 * events of all app and worker processes. A histogram is kept as one row per bucket (not cumulative: the scrape
 * adds them up), plus its sum and count.
 */

/** Counts an event; a failure to count is logged, never the caller's failure. */
export async function countEvent(name: string, labels: Labels = {}, by = 1): Promise<void> {
  await record([{ name, labels: labelKey(labels), value: by }]);
}

/** Records one observation of a histogram; a failure to record is logged, never the caller's failure. */
export async function observe(family: HistogramFamily, value: number, labels: Labels = {}): Promise<void> {
  await record(histogramIncrements(family, labels, value));
}

async function record(increments: CounterIncrement[]) {
  try {
    await addToCounters({ increments });
  } catch (error) {
    log().warn({ err: error, metric: increments[0]?.name }, "recording a metric failed");
  }
}
