import { describe, expect, it } from "vitest";
import { ladderArgs, posterArgs } from "@/lib/processing/commands";
import { planLadder } from "@/lib/processing/ladder";
import { planStoryboard } from "@/lib/processing/storyboard";

const vf = (args: string[]) => args[args.indexOf("-vf") + 1];

describe("ffmpeg commands", () => {
  it("makes the poster at the display size: non-square pixels stretched out, at most 1280 wide", () => {
    // 1440x1080 stored with 4:3 pixels: players show 1920x1080, the probe's display size.
    const anamorphic = posterArgs({ input: "in", output: "out.jpg", probe: { durationSeconds: 60, width: 1920, height: 1080, demuxer: "mov" } });
    expect(vf(anamorphic)).toBe("scale=1280:720,setsar=1");
    // 720x540 with 4:3 pixels, shown 960x540: below the cap, still stretched to 16:9.
    expect(vf(posterArgs({ input: "in", output: "out.jpg", probe: { durationSeconds: 4, width: 960, height: 540, demuxer: "mov" } }))).toBe("scale=960:540,setsar=1");
    expect(vf(posterArgs({ input: "in", output: "out.jpg", probe: { durationSeconds: 4, width: 720, height: 1280, demuxer: "mov" } }))).toBe("scale=720:1280,setsar=1");
  });

  it("reads an upload with the probed demuxer only, over local files and pipes only", () => {
    const poster = posterArgs({ input: "/work/source", output: "out.jpg", probe: { durationSeconds: 4, width: 640, height: 360, demuxer: "matroska" } });
    expect(poster.join(" ")).toContain("-protocol_whitelist file,pipe -f matroska -i /work/source");
    const renditions = planLadder({ width: 640, height: 360 });
    const ladder = ladderArgs({
      input: "/work/source",
      demuxer: "mov",
      outputDir: "/work/out",
      framesDir: "/work/frames",
      renditions,
      hasAudio: true,
      fps: 30,
      storyboard: planStoryboard({ durationSeconds: 4, width: 640, height: 360 }),
    });
    expect(ladder.slice(0, 8)).toEqual(["-y", "-protocol_whitelist", "file,pipe", "-f", "mov", "-i", "/work/source", "-filter_complex"]);
    // Each rendition at the probe's rate, never ffmpeg's own guess (1000 fps for a browser recording).
    expect(ladder.filter((arg, index) => arg === "-r" && ladder[index + 1] === "30")).toHaveLength(renditions.length);
  });
});
