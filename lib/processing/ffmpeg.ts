import { spawn } from "node:child_process";
import { accessSync, chmodSync, constants, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);

/** The first executable `name` in the directories of a PATH-style list. */
export function findOnPath(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there: try the next directory
    }
  }
  return undefined;
}

/** The binary shipped in the npm package (an old static build: the last resort). */
function bundledBinary(installer: string): string {
  const { path: binary } = require(installer) as { path: string };
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    // npm may skip the installer's `chmod u+x` postinstall (install scripts not allowed).
    chmodSync(binary, 0o755);
  }
  return binary;
}

export type Binaries = { ffmpeg: string; ffprobe: string };

/**
 * The binaries to run on untrusted uploads: FFMPEG_PATH/FFPROBE_PATH, else the
 * ones on PATH (a maintained build, with security fixes), else the npm
 * packages' 2018 static build, with a warning for each one taken from there.
 */
export function resolveBinaries({
  ffmpegPath,
  ffprobePath,
  searchPath = process.env.PATH,
}: {
  ffmpegPath?: string;
  ffprobePath?: string;
  searchPath?: string;
}): Binaries & { warnings: string[] } {
  const warnings: string[] = [];
  const pick = (explicit: string | undefined, name: "ffmpeg" | "ffprobe", variable: string, installer: string) => {
    if (explicit) return explicit;
    const onPath = findOnPath(name, searchPath);
    if (onPath) return onPath;
    const bundled = bundledBinary(installer);
    warnings.push(
      `no ${name} on PATH and ${variable} is unset: using the outdated build bundled by ${installer} (${bundled}) on untrusted uploads. ` +
        `Install a maintained ffmpeg (e.g. apt-get install ffmpeg) or set ${variable}.`,
    );
    return bundled;
  };
  return {
    ffmpeg: pick(ffmpegPath, "ffmpeg", "FFMPEG_PATH", "@ffmpeg-installer/ffmpeg"),
    ffprobe: pick(ffprobePath, "ffprobe", "FFPROBE_PATH", "@ffprobe-installer/ffprobe"),
    warnings,
  };
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly reason: "exit" | "timeout" | "stalled" | "aborted",
  ) {
    super(message);
    this.name = "FfmpegError";
  }
}

const STDERR_TAIL = 4000;

function tail(text: string): string {
  return text.length > STDERR_TAIL ? text.slice(-STDERR_TAIL) : text;
}

/** The first line ffmpeg printed at error level (the cause; later lines are consequences), for a readable error. */
export function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines[0] ?? "no output";
}

/** Runs ffprobe and returns its stdout; with `onLine`, stdout is handed over line by line instead (for long listings). */
export function runFfprobe({
  binary,
  args,
  timeoutMs = 60_000,
  onLine,
}: {
  binary: string;
  args: string[];
  timeoutMs?: number;
  onLine?: (line: string) => void;
}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    if (onLine) createInterface({ input: child.stdout }).on("line", onLine);
    else child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = tail(stderr + chunk)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new FfmpegError(`ffprobe ${signal ? `was killed (${signal})` : `exited with ${code}`}: ${firstErrorLine(stderr)}`, stderr, signal ? "timeout" : "exit"));
    });
  });
}

/**
 * Runs ffmpeg with `-progress`, reporting the position reached (seconds of
 * output). It is killed when it runs past `timeoutMs` in all, or reports no
 * progress for `stallMs` (a hung encoder), or when `signal` aborts.
 */
export function runFfmpeg({
  binary,
  args,
  timeoutMs,
  stallMs,
  signal,
  onProgress,
}: {
  binary: string;
  args: string[];
  timeoutMs: number;
  stallMs: number;
  signal?: AbortSignal;
  onProgress?: (seconds: number) => void;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new FfmpegError("ffmpeg was not started: the job was stopped", "", "aborted"));
    // Its own process group (as ffprobe's): a service manager's SIGTERM to the worker's group must not kill it
    // mid-job, the worker's graceful shutdown decides. Were the worker killed, its next progress write fails and it ends.
    const child = spawn(binary, ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-progress", "pipe:1", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stderr = "";
    let killedFor: FfmpegError["reason"] | undefined;
    const kill = (reason: FfmpegError["reason"]) => {
      killedFor ??= reason;
      child.kill("SIGKILL");
    };
    const overall = setTimeout(() => kill("timeout"), timeoutMs);
    let stall = setTimeout(() => kill("stalled"), stallMs);
    const onAbort = () => kill("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });

    createInterface({ input: child.stdout }).on("line", (line) => {
      // out_time_ms is in microseconds despite its name (ffmpeg's long-standing quirk); out_time_us is newer.
      const match = /^out_time_(?:us|ms)=(\d+)/.exec(line);
      if (!match) return;
      clearTimeout(stall);
      stall = setTimeout(() => kill("stalled"), stallMs);
      onProgress?.(Number(match[1]) / 1e6);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = tail(stderr + chunk)));
    const cleanUp = () => {
      clearTimeout(overall);
      clearTimeout(stall);
      signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (error) => {
      cleanUp();
      reject(error);
    });
    child.on("close", (code) => {
      cleanUp();
      if (killedFor) {
        const why = {
          timeout: `ffmpeg ran past its ${Math.round(timeoutMs / 1000)} s limit and was stopped`,
          stalled: `ffmpeg made no progress for ${Math.round(stallMs / 1000)} s and was stopped`,
          aborted: "ffmpeg was stopped (the worker is shutting down, or the video was deleted)",
          exit: "",
        }[killedFor];
        reject(new FfmpegError(why, stderr, killedFor));
      } else if (code === 0) resolve();
      else reject(new FfmpegError(`ffmpeg exited with ${code}: ${firstErrorLine(stderr)}`, stderr, "exit"));
    });
  });
}
