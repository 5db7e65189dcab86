import { formatDuration } from "@/app/components/upload/format";

/** 0.5 → "50%". */
export const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The curve's value at a position (0–1) of the video. */
export function retentionAt(retention: readonly number[], position: number): number {
  if (retention.length === 0) return 0;
  const index = Math.min(retention.length - 1, Math.max(0, Math.floor(position * retention.length)));
  return retention[index] ?? 0;
}

/** The curve per tenth of the video (the mean of its points), labelled with its times: the chart's table. */
export function retentionTenths(retention: readonly number[], durationSeconds: number): { label: string; share: number }[] {
  const parts = 10;
  return Array.from({ length: parts }, (_, part) => {
    const start = Math.floor((part * retention.length) / parts);
    const end = Math.max(start + 1, Math.floor(((part + 1) * retention.length) / parts));
    const slice = retention.slice(start, end);
    const share = slice.length === 0 ? 0 : slice.reduce((sum, value) => sum + value, 0) / slice.length;
    return { label: `${formatDuration((part / parts) * durationSeconds)}–${formatDuration(((part + 1) / parts) * durationSeconds)}`, share };
  });
}

/** One sentence for screen readers: where the curve starts, its middle, its end, and its lowest point. */
export function retentionSummary(retention: readonly number[], durationSeconds: number, chapterMarks: number): string {
  if (retention.length === 0) return "No retention data.";
  let lowest = 0;
  retention.forEach((value, index) => {
    if (value < (retention[lowest] ?? 1)) lowest = index;
  });
  const at = (index: number) => formatDuration(((index + 0.5) / retention.length) * durationSeconds);
  return (
    `${percent(retention[0] ?? 0)} of viewers watched the start, ${percent(retentionAt(retention, 0.5))} the middle and ` +
    `${percent(retention.at(-1) ?? 0)} the end; the lowest point is ${percent(retention[lowest] ?? 0)} at ${at(lowest)}.` +
    (chapterMarks > 0 ? ` ${chapterMarks} chapter mark${chapterMarks === 1 ? "" : "s"}.` : "")
  );
}
