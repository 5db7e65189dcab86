import { closeDatabase } from "@/db";
import { rootLogger } from "@/lib/logger";
import { startWorker } from "./worker";

/**
 * `npm run worker`: processes videos until SIGTERM or SIGINT, then stops gracefully (see Worker.stop: within
 * WORKER_SHUTDOWN_GRACE_SECONDS) and exits 0. A second signal exits at once. Run as many as you like, on as many machines.
 */
const worker = await startWorker();
const logger = rootLogger.child({ worker: worker.id });
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "signal received: stopping");
    void worker
      .stop()
      .then(() => closeDatabase())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "stopping failed");
          process.exit(1);
        },
      );
  });
}
