import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export type WorkerProcess = { child: ChildProcess; output: () => string; stop: () => Promise<void>; kill: () => Promise<void> };

/** `npm run worker` as a real process on the test database and store (the test's environment). */
export function spawnWorker(env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, [require.resolve("tsx/cli"), "--conditions=react-server", "lib/worker/main.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: tsx runs the worker in a child process, and SIGKILL must reach that one too.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, name);
    await exited;
  };
  return { child, output: () => output, stop: () => signal("SIGTERM"), kill: () => signal("SIGKILL") };
}
