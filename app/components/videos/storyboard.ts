/** One seek-preview tile: the sprite's URL and the tile's rectangle in it, for [start, end) seconds. */
export type StoryboardCue = { start: number; end: number; url: string; x: number; y: number; width: number; height: number };

const seconds = (stamp: string) => stamp.split(":").reduce((total, part) => total * 60 + Number.parseFloat(part), 0);

/** Parses a storyboard WebVTT (`sprite.jpg#xywh=x,y,w,h` cues); sprite URLs resolve against the VTT's own URL. */
export function parseStoryboard(vtt: string, baseUrl: string): StoryboardCue[] {
  const cues: StoryboardCue[] = [];
  const lines = vtt.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const timing = /^([\d:.]+)\s+-->\s+([\d:.]+)/.exec(lines[index] ?? "");
    const target = /^(.+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(lines[index + 1]?.trim() ?? "");
    if (!timing?.[1] || !timing[2] || !target?.[1]) continue;
    cues.push({
      start: seconds(timing[1]),
      end: seconds(timing[2]),
      url: new URL(target[1], baseUrl).href,
      x: Number(target[2]),
      y: Number(target[3]),
      width: Number(target[4]),
      height: Number(target[5]),
    });
  }
  return cues;
}

export function cueAt(cues: StoryboardCue[], time: number): StoryboardCue | undefined {
  return cues.find((cue) => time >= cue.start && time < cue.end) ?? cues.at(-1);
}
