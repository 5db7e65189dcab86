import { stat, truncate, writeFile } from "node:fs/promises";
import { chromiumExecutablePath } from "@/dev/chromium";
import { resolveBinaries, runFfmpeg } from "@/lib/processing/ffmpeg";

const encode = async (args: string[], timeoutMs = 300_000) => {
  const { ffmpeg } = resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH });
  await runFfmpeg({ binary: ffmpeg, args: ["-y", ...args], timeoutMs, stallMs: 60_000 });
};

const pattern = ({ seconds, width, height, rate }: { seconds: number; width: number; height: number; rate: number }) => [
  "-f", "lavfi", "-i", `testsrc=duration=${seconds}:size=${width}x${height}:rate=${rate}`,
];
const tone = (seconds: number) => ["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`];

/**
 * Generates an H.264/AAC MP4 test pattern with a tone (seconds long, width x height stored). `sampleAspect` ("4/3")
 * makes its pixels non-square, `faststart` puts the index (moov) before the media, `audio: false` leaves the tone out.
 * `timeoutMs` (5 minutes by default) is for long fixtures on a busy machine (the benches').
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
  timeoutMs,
}: {
  path: string;
  seconds: number;
  width: number;
  height: number;
  rate?: number;
  sampleAspect?: string;
  faststart?: boolean;
  audio?: boolean;
  timeoutMs?: number;
}) {
  await encode([
    ...pattern({ seconds, width, height, rate }),
    ...(audio ? tone(seconds) : []),
    ...(sampleAspect ? ["-vf", `setsar=${sampleAspect}`] : []),
    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
    ...(audio ? ["-c:a", "aac", "-shortest"] : []),
    ...(faststart ? ["-movflags", "+faststart"] : []),
    path,
  ], timeoutMs);
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

/**
 * A real MediaRecorder recording from Chromium (a canvas animation and a tone, VP8 + Opus): no Duration, no Cues and
 * no frame rate in its header (r_frame_rate 1000/1). Debian's Chromium where present, as in the e2e tests.
 */
export async function recordInChromium({ path, seconds }: { path: string; seconds: number }) {
  const executablePath = chromiumExecutablePath();
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({ executablePath, args: ["--autoplay-policy=no-user-gesture-required"] });
  try {
    const page = await browser.newPage();
    await page.setContent("<canvas width=320 height=240></canvas>");
    const base64 = await page.evaluate(async (milliseconds) => {
      const canvas = document.querySelector("canvas");
      const context = canvas?.getContext("2d");
      if (!canvas || !context) throw new Error("no canvas");
      const stream = canvas.captureStream(30);
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const destination = audio.createMediaStreamDestination();
      tone.connect(destination);
      tone.start();
      for (const track of destination.stream.getAudioTracks()) stream.addTrack(track);
      const recorder = new MediaRecorder(stream, { mimeType: "video/webm;codecs=vp8,opus" });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (event) => chunks.push(event.data);
      let frame = 0;
      const draw = setInterval(() => {
        context.fillStyle = `hsl(${(frame++ * 7) % 360},80%,50%)`;
        context.fillRect(0, 0, 320, 240);
      }, 33);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.start(500);
      await new Promise((resolve) => setTimeout(resolve, milliseconds));
      recorder.stop();
      await stopped;
      clearInterval(draw);
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      let binary = "";
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    }, Math.round(seconds * 1000));
    await writeFile(path, Buffer.from(base64, "base64"));
    return path;
  } finally {
    await browser.close();
  }
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
