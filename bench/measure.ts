/** What the processing benches measure besides wall time: CPU seconds (ours, the machine's) and medians. */
import fs from "node:fs/promises";
import os from "node:os";
import { resolveBinaries } from "@/lib/processing/ffmpeg";

export const binaries = () => resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH, ffprobePath: process.env.FFPROBE_PATH });
export const since = (started: number) => (performance.now() - started) / 1000;
export const MiB = 1024 * 1024;

/** CPU seconds used by this process's finished children (ffprobe, ffmpeg), from /proc/self/stat (Linux; NaN elsewhere). */
export async function childrenCpuSeconds(): Promise<number> {
  const stat = await fs.readFile("/proc/self/stat", "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 (cutime, cstime) in clock ticks, 100 a second on Linux.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** CPU seconds the whole machine spent busy (all cores; steal counted apart), from /proc/stat (Linux; NaN elsewhere). */
export async function machineCpuSeconds(): Promise<{ busy: number; steal: number }> {
  const line = (await fs.readFile("/proc/stat", "utf8").catch(() => "")).split("\n")[0] ?? "";
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return { busy: [user, nice, system, irq, softirq].reduce<number>((sum, ticks) => sum + Number(ticks), 0) / 100, steal: Number(steal) / 100 };
}

/** What else ran meanwhile: the machine's busy CPU seconds minus ours, and the hypervisor's steal. */
export async function otherLoad(before: { busy: number; steal: number }, ours: number) {
  const after = await machineCpuSeconds();
  return { otherCpuSeconds: Math.max(0, after.busy - before.busy - ours), stealSeconds: after.steal - before.steal };
}

export const ownCpuSeconds = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
};

/** The median run (the upper one of an even count), so its other figures belong to one real run. */
export function median<T>(items: T[], by: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => by(a) - by(b));
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error("no runs");
  return middle;
}

/** The load averages and CPUs, for saying how busy the machine was. */
export const machineLine = () => {
  const [one, five, fifteen] = os.loadavg().map((value) => value.toFixed(2));
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown"}; load average ${one}, ${five}, ${fifteen}`;
};

/**
 * Times `work` (wall seconds), with the CPU seconds of the children it ran and of everything else on the machine
 * meanwhile (another helper's jobs on a shared machine show there). Children still running count once they end.
 */
export async function timed<T>(work: () => Promise<T>) {
  const cpuBefore = await childrenCpuSeconds();
  const machineBefore = await machineCpuSeconds();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const seconds = since(started);
  const cpuSeconds = (await childrenCpuSeconds()) - cpuBefore;
  const other = await otherLoad(machineBefore, cpuSeconds + ownCpuSeconds(ownBefore));
  return { value, seconds, cpuSeconds, ...other };
}

/** Bytes of the files under `dir` (recursively). */
export async function directoryBytes(dir: string): Promise<number> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile()) total += (await fs.stat(`${entry.parentPath}/${entry.name}`)).size;
  }
  return total;
}
