import "server-only";
import os from "node:os";
import { deleteStaleWorkerHeartbeats, deleteWorkerHeartbeat, upsertWorkerHeartbeat } from "@/db/queries/metrics";
import type { Logger } from "@/lib/logger";

/** Rows of workers that died without stopping cleanly are dropped after this long. */
const FORGET_AFTER_MS = 24 * 3_600_000;

/**
 * The worker's row in `worker_heartbeats` (the scrape reads it: last heartbeat, running jobs), written every
 * `intervalMs` and removed by `stop()`.
 */
export async function startHeartbeat({
  workerId,
  intervalMs,
  activeJobs,
  logger,
}: {
  workerId: string;
  intervalMs: number;
  activeJobs: () => number;
  logger: Logger;
}) {
  const startedAt = new Date();
  const beat = () => upsertWorkerHeartbeat({ workerId, host: os.hostname(), pid: process.pid, startedAt, activeJobs: activeJobs() });
  await deleteStaleWorkerHeartbeats({ before: new Date(Date.now() - FORGET_AFTER_MS) });
  await beat();
  let writing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    writing = beat().catch((error: unknown) => logger.warn({ err: error }, "writing the worker heartbeat failed"));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await writing;
      await deleteWorkerHeartbeat({ workerId }).catch((error: unknown) => logger.warn({ err: error }, "removing the worker heartbeat failed"));
    },
  };
}
