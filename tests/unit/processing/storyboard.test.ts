import { describe, expect, it } from "vitest";
import { cueAt, parseStoryboard } from "@/app/components/videos/storyboard";
import { planStoryboard, storyboardVtt, vttTimestamp } from "@/lib/processing/storyboard";

describe("storyboard", () => {
  it("takes a tile a second for short videos and at most 100 tiles for long ones", () => {
    expect(planStoryboard({ durationSeconds: 10, width: 1280, height: 720 })).toEqual({ interval: 1, count: 10, columns: 10, rows: 1, tileWidth: 160, tileHeight: 90 });
    const lecture = planStoryboard({ durationSeconds: 2 * 3600, width: 1920, height: 1080 });
    expect(lecture.interval).toBe(72);
    expect(lecture.count).toBeLessThanOrEqual(100);
    expect(lecture.rows).toBe(10);
  });

  it("writes WebVTT cues the player's parser maps back to tiles", () => {
    const plan = planStoryboard({ durationSeconds: 25.5, width: 640, height: 360 });
    const vtt = storyboardVtt({ plan, durationSeconds: 25.5, sprite: "storyboard.jpg" });
    expect(vtt).toContain("00:00:25.000 --> 00:00:25.500\nstoryboard.jpg#xywh=800,180,160,90");
    const cues = parseStoryboard(vtt, "https://app.example/api/v1/education/videos/x/media/storyboard.vtt");
    expect(cues).toHaveLength(26);
    expect(cueAt(cues, 12.3)).toMatchObject({ start: 12, url: "https://app.example/api/v1/education/videos/x/media/storyboard.jpg", x: 320, y: 90 });
  });

  it("rounds timestamps to the millisecond as a whole, near second, minute and hour boundaries", () => {
    expect(vttTimestamp(59.9996)).toBe("00:01:00.000");
    expect(vttTimestamp(59.1)).toBe("00:00:59.100");
    expect(vttTimestamp(0.9995)).toBe("00:00:01.000");
    expect(vttTimestamp(12.0004)).toBe("00:00:12.000");
    expect(vttTimestamp(3599.9999)).toBe("01:00:00.000");
    expect(vttTimestamp(3661.042)).toBe("01:01:01.042");
    for (let ms = 0; ms < 5000; ms += 7) expect(vttTimestamp(ms / 1000 + 0.0004999)).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3}$/);
  });

  it("ends the last cue at a duration just short of a whole second with a valid timestamp", () => {
    const plan = planStoryboard({ durationSeconds: 59.9996, width: 1280, height: 720 });
    const vtt = storyboardVtt({ plan, durationSeconds: 59.9996, sprite: "storyboard.jpg" });
    expect(vtt).toContain("00:00:59.000 --> 00:01:00.000");
    expect(vtt).not.toMatch(/\.\d{4}/);
  });

  it("keeps the interval the frames were taken at when fewer frames came out than planned (a file cut short)", () => {
    const planned = planStoryboard({ durationSeconds: 250, width: 1280, height: 720 });
    expect(planned.interval).toBe(3);
    const played = planStoryboard({ durationSeconds: 150, width: 1280, height: 720, frames: 50, interval: planned.interval });
    expect(played).toMatchObject({ interval: 3, count: 50, columns: 10, rows: 5 });
    const vtt = storyboardVtt({ plan: played, durationSeconds: 150, sprite: "storyboard.jpg" });
    expect(vtt).toContain("00:02:27.000 --> 00:02:30.000");
  });
});
