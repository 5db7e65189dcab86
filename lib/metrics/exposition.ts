import type { CounterIncrement } from "@/db/queries/metrics";
import type { HistogramFamily } from "./families";

/** A metric family in Prometheus's text format (0.0.4): `# HELP`, `# TYPE` and one line per sample. */
export type Family = {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  samples: { name?: string; labels?: Record<string, string>; value: number }[];
};

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const escapeHelp = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

export function formatFamilies(families: Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels ?? {});
      const labelText = labels.length ? `{${labels.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(",")}}` : "";
      lines.push(`${sample.name ?? family.name}${labelText} ${formatValue(sample.value)}`);
    }
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

type StoredRow = { name: string; labels: string; value: number };

export type Labels = Record<string, string>;

/** The label set as stored: sorted keys, JSON. */
export function labelKey(labels: Labels): string {
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))));
}

export function bucketLabel(family: HistogramFamily, value: number): string {
  const bound = family.buckets.find((upper) => value <= upper);
  return bound === undefined ? "+Inf" : String(bound);
}

export function histogramIncrements(family: HistogramFamily, labels: Labels, value: number): CounterIncrement[] {
  return [
    { name: `${family.name}_bucket`, labels: labelKey({ ...labels, le: bucketLabel(family, value) }), value: 1 },
    { name: `${family.name}_sum`, labels: labelKey(labels), value },
    { name: `${family.name}_count`, labels: labelKey(labels), value: 1 },
  ];
}


/**
 * A histogram from its stored rows (per-bucket counts, sum, count; see shared-counters.ts), with cumulative
 * buckets as Prometheus wants them. `labelSets` are always present (at 0 when nothing was observed yet).
 */
export function histogramFamily(family: HistogramFamily, rows: StoredRow[], labelSets: Record<string, string>[] = [{}]): Family {
  const series = new Map<string, { labels: Record<string, string>; buckets: Map<string, number>; sum: number; count: number }>();
  const seriesOf = (labels: Record<string, string>) => {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { labels, buckets: new Map(), sum: 0, count: 0 }));
    return entry;
  };
  for (const labels of labelSets) seriesOf(labels);
  for (const row of rows) {
    if (!row.name.startsWith(`${family.name}_`)) continue;
    const { le, ...labels } = JSON.parse(row.labels) as Record<string, string>;
    const entry = seriesOf(labels);
    if (row.name === `${family.name}_bucket` && le !== undefined) entry.buckets.set(le, (entry.buckets.get(le) ?? 0) + row.value);
    else if (row.name === `${family.name}_sum`) entry.sum += row.value;
    else if (row.name === `${family.name}_count`) entry.count += row.value;
  }
  const samples: Family["samples"] = [];
  for (const { labels, buckets, sum, count } of series.values()) {
    let cumulative = 0;
    for (const le of [...family.buckets.map(String), "+Inf"]) {
      cumulative += buckets.get(le) ?? 0;
      samples.push({ name: `${family.name}_bucket`, labels: { ...labels, le }, value: cumulative });
    }
    samples.push({ name: `${family.name}_sum`, labels, value: sum }, { name: `${family.name}_count`, labels, value: count });
  }
  return { name: family.name, help: family.help, type: "histogram", samples };
}

/** A counter from its stored rows, with `labelSets` present at 0 until counted. */
export function counterFamily(family: { name: string; help: string }, rows: StoredRow[], labelSets: Record<string, string>[] = [{}]): Family {
  const values = new Map<string, { labels: Record<string, string>; value: number }>();
  const keyOf = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  for (const labels of labelSets) values.set(keyOf(labels), { labels, value: 0 });
  for (const row of rows) {
    if (row.name !== family.name) continue;
    const labels = JSON.parse(row.labels) as Record<string, string>;
    const key = keyOf(labels);
    values.set(key, { labels, value: (values.get(key)?.value ?? 0) + row.value });
  }
  return { name: family.name, help: family.help, type: "counter", samples: [...values.values()] };
}
