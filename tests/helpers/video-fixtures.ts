import { stat, truncate, writeFile } from "node:fs/promises";
import { resolveBinaries, runFfmpeg } from "@/lib/processing/ffmpeg";

const encode = async (args: string[]) => {
  const { ffmpeg } = resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH });
  await runFfmpeg({ binary: ffmpeg, args: ["-y", ...args], timeoutMs: 300_000, stallMs: 60_000 });
};

const pattern = ({ seconds, width, height, rate }: { seconds: number; width: number; height: number; rate: number }) => [
  "-f", "lavfi", "-i", `testsrc=duration=${seconds}:size=${width}x${height}:rate=${rate}`,
];
const tone = (seconds: number) => ["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`];

/**
 * Generates an H.264/AAC MP4 test pattern with a tone (seconds long, width x height stored). `sampleAspect` ("4/3")
 * makes its pixels non-square, `faststart` puts the index (moov) before the media, `audio: false` leaves the tone out.
 */
export async function makeVideoFixture({
  path,
  seconds,
  width,
  height,
  rate = 30,
  sampleAspect,
  faststart = false,
  audio = true,
}: {
  path: string;
  seconds: number;
  width: number;
  height: number;
  rate?: number;
  sampleAspect?: string;
  faststart?: boolean;
  audio?: boolean;
}) {
  await encode([
    ...pattern({ seconds, width, height, rate }),
    ...(audio ? tone(seconds) : []),
    ...(sampleAspect ? ["-vf", `setsar=${sampleAspect}`] : []),
    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
    ...(audio ? ["-c:a", "aac", "-shortest"] : []),
    ...(faststart ? ["-movflags", "+faststart"] : []),
    path,
  ]);
  return path;
}

/**
 * A WebM as browsers' MediaRecorder writes it (VP8 + Opus, written as a live stream): its header has no Duration and
 * it has no Cues, so the duration is only known from the last packet.
 */
export async function makeRecordedWebmFixture({ path, seconds, width, height }: { path: string; seconds: number; width: number; height: number }) {
  await encode([
    ...pattern({ seconds, width, height, rate: 30 }),
    ...tone(seconds),
    "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "500k",
    "-c:a", "libopus", "-live", "1", "-f", "webm", path,
  ]);
  return path;
}

/** An MP4 with its index up front (faststart) and the last `missing` share of its bytes cut off, as an interrupted copy leaves it. */
export async function makeTruncatedMp4Fixture({ path, seconds, width, height, missing }: { path: string; seconds: number; width: number; height: number; missing: number }) {
  await makeVideoFixture({ path, seconds, width, height, faststart: true });
  const { size } = await stat(path);
  await truncate(path, Math.floor(size * (1 - missing)));
  return path;
}

/** An MPEG-TS segment (for playlists that point at other files). */
export async function makeTsSegmentFixture({ path, seconds }: { path: string; seconds: number }) {
  await encode([...pattern({ seconds, width: 320, height: 240, rate: 25 }), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-f", "mpegts", path]);
  return path;
}

/** An HLS media playlist pointing at `segments` (local paths or URLs), as an attacker would upload instead of a video. */
export async function makePlaylistFixture({ path, segments }: { path: string; segments: string[] }) {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:4", "#EXT-X-PLAYLIST-TYPE:VOD"];
  for (const segment of segments) lines.push("#EXTINF:4.0,", segment);
  lines.push("#EXT-X-ENDLIST", "");
  await writeFile(path, lines.join("\n"));
  return path;
}

export async function makeTextFixture(path: string) {
  await writeFile(path, "These are lecture notes, not a video.\n".repeat(200));
  return path;
}
