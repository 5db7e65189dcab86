import { type ChildProcess, spawn } from "node:child_process";
export type WorkerProcess = { child: ChildProcess; output: () => string; stop: () => Promise<void>; kill: () => Promise<void> };

/** `npm run worker` as a real process on the test database and store (the test's environment). */
export function spawnWorker(env: Record<string, string> = {}): WorkerProcess {
  // As `npm run worker` runs it: one process (tsx as a loader), which gets the signals itself.
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/worker/main.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a signal reaches it and nothing else of the test's.
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
