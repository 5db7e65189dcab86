/** Seek-preview thumbnails: one every `interval` seconds, tiled into a single sprite. */
export type StoryboardPlan = { interval: number; count: number; columns: number; rows: number; tileWidth: number; tileHeight: number };

const MAX_TILES = 100;
const COLUMNS = 10;
const TILE_WIDTH = 160;

/**
 * With `frames` (what ffmpeg produced), the tile count follows it instead of
 * the duration; `interval` keeps the one the frames were taken at when the
 * duration turned out shorter than planned.
 */
export function planStoryboard({
  durationSeconds,
  width,
  height,
  frames,
  interval: fixedInterval,
}: {
  durationSeconds: number;
  width: number;
  height: number;
  frames?: number;
  interval?: number;
}): StoryboardPlan {
  const interval = fixedInterval ?? Math.max(1, Math.ceil(durationSeconds / MAX_TILES));
  const planned = Math.max(1, Math.ceil(durationSeconds / interval));
  const count = frames === undefined ? planned : Math.max(1, Math.min(frames, planned));
  const columns = Math.min(COLUMNS, count);
  const tileHeight = Math.max(2, Math.round((TILE_WIDTH * height) / width / 2) * 2);
  return { interval, count, columns, rows: Math.ceil(count / columns), tileWidth: TILE_WIDTH, tileHeight };
}

/** A WebVTT timestamp, rounded to the millisecond as a whole (59.9996 s is 00:01:00.000, never 00:00:59.1000). */
export function vttTimestamp(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 1000));
  const hours = String(Math.floor(total / 3_600_000)).padStart(2, "0");
  const minutes = String(Math.floor((total % 3_600_000) / 60_000)).padStart(2, "0");
  const secs = String(Math.floor((total % 60_000) / 1000)).padStart(2, "0");
  const millis = String(total % 1000).padStart(3, "0");
  return `${hours}:${minutes}:${secs}.${millis}`;
}

/** WebVTT mapping each interval to its tile (`sprite#xywh=x,y,w,h`), as players' seek previews expect. */
export function storyboardVtt({ plan, durationSeconds, sprite }: { plan: StoryboardPlan; durationSeconds: number; sprite: string }): string {
  const cues: string[] = ["WEBVTT", ""];
  for (let index = 0; index < plan.count; index++) {
    const start = index * plan.interval;
    // The last tile covers the rest, up to the end of what plays.
    const end = index === plan.count - 1 ? durationSeconds : Math.min(durationSeconds, start + plan.interval);
    const x = (index % plan.columns) * plan.tileWidth;
    const y = Math.floor(index / plan.columns) * plan.tileHeight;
    cues.push(`${vttTimestamp(start)} --> ${vttTimestamp(end)}`, `${sprite}#xywh=${x},${y},${plan.tileWidth},${plan.tileHeight}`, "");
  }
  return cues.join("\n");
}
