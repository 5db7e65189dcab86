/** What the benches share: building and starting the production server, and summarising latencies. */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

export function summarise(latencies: number[], errors: number, elapsedMs: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { requests: sorted.length, seconds: elapsedMs / 1000, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, errors };
}

export function nextBin(): string {
  return createRequire(import.meta.url).resolve("next/dist/bin/next");
}

export function run(command: string, commandArgs: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: "inherit", env: { ...process.env, ...env } });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${commandArgs.join(" ")} exited with ${code}`))));
  });
}

export async function waitForHealth(origin: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${origin}/api/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer on ${origin}/api/health within 60 s`);
}

/** Stops `next start` and the workers it forks (its own process group). */
export async function stopGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}
