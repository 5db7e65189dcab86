/** Seek-preview thumbnails: one every `interval` seconds, tiled into a single sprite. */
export type StoryboardPlan = { interval: number; count: number; columns: number; rows: number; tileWidth: number; tileHeight: number };

const MAX_TILES = 100;
const COLUMNS = 10;
const TILE_WIDTH = 160;

/** With `frames` (what ffmpeg produced), the tile count follows it instead of the duration. */
export function planStoryboard({
  durationSeconds,
  width,
  height,
  frames,
}: {
  durationSeconds: number;
  width: number;
  height: number;
  frames?: number;
}): StoryboardPlan {
  const interval = Math.max(1, Math.ceil(durationSeconds / MAX_TILES));
  const planned = Math.max(1, Math.ceil(durationSeconds / interval));
  const count = frames === undefined ? planned : Math.max(1, Math.min(frames, planned));
  const columns = Math.min(COLUMNS, count);
  const tileHeight = Math.max(2, Math.round((TILE_WIDTH * height) / width / 2) * 2);
  return { interval, count, columns, rows: Math.ceil(count / columns), tileWidth: TILE_WIDTH, tileHeight };
}

function timestamp(seconds: number): string {
  const whole = Math.floor(seconds);
  const hours = String(Math.floor(whole / 3600)).padStart(2, "0");
  const minutes = String(Math.floor((whole % 3600) / 60)).padStart(2, "0");
  const secs = String(whole % 60).padStart(2, "0");
  const millis = String(Math.round((seconds - whole) * 1000)).padStart(3, "0");
  return `${hours}:${minutes}:${secs}.${millis}`;
}

/** WebVTT mapping each interval to its tile (`sprite#xywh=x,y,w,h`), as players' seek previews expect. */
export function storyboardVtt({ plan, durationSeconds, sprite }: { plan: StoryboardPlan; durationSeconds: number; sprite: string }): string {
  const cues: string[] = ["WEBVTT", ""];
  for (let index = 0; index < plan.count; index++) {
    const start = index * plan.interval;
    const end = Math.min(durationSeconds, start + plan.interval);
    const x = (index % plan.columns) * plan.tileWidth;
    const y = Math.floor(index / plan.columns) * plan.tileHeight;
    cues.push(`${timestamp(start)} --> ${timestamp(end)}`, `${sprite}#xywh=${x},${y},${plan.tileWidth},${plan.tileHeight}`, "");
  }
  return cues.join("\n");
}
