import { spawn } from "node:child_process";
import { accessSync, chmodSync, constants } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { findOnPath } from "@/lib/processing/ffmpeg";
import { LecternError } from "./errors";
import type { VideoOptions } from "./types";

const require = createRequire(import.meta.url);

/**
 * ffmpeg for fixtures: an explicit path (option, FFMPEG_PATH), else the build pinned by @ffmpeg-installer/ffmpeg (the
 * kit's dependency: the same bytes on every machine, and only our own test pattern goes through it), else `ffmpeg`
 * on PATH (a platform the installer has no build for).
 */
export function fixtureFfmpeg(explicit: string | undefined): string {
  if (explicit) return explicit;
  try {
    const { path: bundled } = require("@ffmpeg-installer/ffmpeg") as { path: string };
    try {
      accessSync(bundled, constants.X_OK);
    } catch {
      // npm may skip the installer's `chmod u+x` postinstall (install scripts not allowed).
      chmodSync(bundled, 0o755);
    }
    return bundled;
  } catch {
    const onPath = findOnPath("ffmpeg", process.env.PATH);
    if (onPath) return onPath;
  }
  throw new LecternError(
    "lectern.video() needs ffmpeg: install @ffmpeg-installer/ffmpeg (a dependency of @lectern/playwright; was it skipped?), put ffmpeg on PATH, or set FFMPEG_PATH.",
  );
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.on("error", (error) => reject(new LecternError(`Could not run ffmpeg (${binary}): ${error.message}`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new LecternError(`ffmpeg failed (exit ${code}): ${stderr.trim().split("\n").at(-1) ?? ""}`))));
  });
}

const VIDEO_CODECS = { mp4: ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"], mov: ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"], webm: ["-c:v", "libvpx", "-b:v", "800k", "-deadline", "realtime", "-cpu-used", "8"] };
const AUDIO_CODECS = { mp4: ["-c:a", "aac"], mov: ["-c:a", "aac"], webm: ["-c:a", "libopus"] };

/** A test pattern (and tone) video, made once per parameters and machine, then served from the cache. */
export async function fixtureVideo({ options, ffmpegPath, cacheDir }: { options: VideoOptions; ffmpegPath?: string; cacheDir?: string }): Promise<string> {
  const { seconds = 5, width = 640, height = 360, audio = true, container = "mp4" } = options;
  for (const [name, value, max] of [["seconds", seconds, 3600], ["width", width, 7680], ["height", height, 4320]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > max) throw new LecternError(`lectern.video(): ${name} must be a whole number from 1 to ${max} (got ${value}).`);
  }
  if (width % 2 || height % 2) throw new LecternError(`lectern.video(): width and height must be even (got ${width}×${height}).`);
  if (!(container in VIDEO_CODECS)) throw new LecternError(`lectern.video(): container must be mp4, mov or webm (got ${String(container)}).`);
  const dir = cacheDir ?? process.env.LECTERN_FIXTURE_CACHE ?? path.join(os.tmpdir(), "lectern-playwright-fixtures");
  const file = path.join(dir, `pattern-${seconds}s-${width}x${height}-${audio ? "tone" : "silent"}.${container}`);
  if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  await mkdir(dir, { recursive: true });
  // Parallel workers may make the same fixture: each writes its own file and the rename is atomic.
  const partial = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.partial.${container}`;
  await run(fixtureFfmpeg(ffmpegPath ?? process.env.FFMPEG_PATH), [
    "-y", "-hide_banner", "-loglevel", "error",
    "-f", "lavfi", "-i", `testsrc=duration=${seconds}:size=${width}x${height}:rate=30`,
    ...(audio ? ["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`] : []),
    ...VIDEO_CODECS[container], ...(audio ? [...AUDIO_CODECS[container], "-shortest"] : []),
    "-threads", "1", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", ...(audio ? ["-flags:a", "+bitexact"] : []),
    partial,
  ]);
  await rename(partial, file);
  return file;
}
