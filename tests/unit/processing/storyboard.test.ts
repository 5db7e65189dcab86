import { describe, expect, it } from "vitest";
import { cueAt, parseStoryboard } from "@/app/components/videos/storyboard";
import { planStoryboard, storyboardVtt } from "@/lib/processing/storyboard";

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
});
