import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { type Env, env } from "@/lib/env";

export type { Logger };
export type LogLevel = Env["LOG_LEVEL"];

/**
 * A pino logger: one JSON object per line (`level` as its name, ISO `time`, `msg`, bound fields such as `reqId` or
 * `jobId`, errors under `err`), or, with `pretty`, pino-pretty's readable lines. Both write synchronously in this
 * process: pino's transports run in worker threads, which Next.js's bundling breaks, and a synchronous write is not
 * lost when a worker exits right after logging.
 */
export function createLogger({
  level,
  pretty: readable = false,
  destination,
}: {
  level: LogLevel;
  pretty?: boolean;
  destination?: DestinationStream;
}): Logger {
  const stream =
    destination ??
    (readable
      ? pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" })
      : pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

// One root logger and one request/job context per process; both survive hot reloads in development.
const globalForLogger = globalThis as unknown as { lecternLogger?: Logger; lecternLogContext?: AsyncLocalStorage<Logger> };
const root = (globalForLogger.lecternLogger ??= createLogger({ level: env.LOG_LEVEL, pretty: env.NODE_ENV === "development" }));
const context = (globalForLogger.lecternLogContext ??= new AsyncLocalStorage<Logger>());

/** The process's root logger (no request or job bound). */
export const rootLogger = root;

/** The logger of the current request or job (its `reqId` or `jobId` bound), else the root logger. */
export function log(): Logger {
  return context.getStore() ?? root;
}

/** Runs `fn` with `logger` as the current one (for everything it awaits), as API requests and worker jobs do. */
export function runWithLogger<T>(logger: Logger, fn: () => T): T {
  return context.run(logger, fn);
}
