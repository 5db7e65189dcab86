import { writeFile } from "node:fs/promises";
import { resolveBinaries, runFfmpeg } from "@/lib/processing/ffmpeg";

/** Generates an H.264/AAC MP4 test pattern with a tone (seconds long, width x height). */
export async function makeVideoFixture({ path, seconds, width, height }: { path: string; seconds: number; width: number; height: number }) {
  const { ffmpeg } = resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH });
  await runFfmpeg({
    binary: ffmpeg,
    args: [
      "-y",
      "-f", "lavfi", "-i", `testsrc=duration=${seconds}:size=${width}x${height}:rate=30`,
      "-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`,
      "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path,
    ],
    timeoutMs: 300_000,
    stallMs: 60_000,
  });
  return path;
}

export async function makeTextFixture(path: string) {
  await writeFile(path, "These are lecture notes, not a video.\n".repeat(200));
  return path;
}
