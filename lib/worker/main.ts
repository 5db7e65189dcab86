import { closeDatabase } from "@/db";
import { rootLogger } from "@/lib/logger";
import { startWorker } from "./worker";

/**
 * `npm run worker`: processes videos until SIGTERM or SIGINT, then stops gracefully (see Worker.stop: within
 * WORKER_SHUTDOWN_GRACE_SECONDS) and exits 0. Run as many as you like, on as many machines.
 */
// Listening before the worker has started: it takes jobs while it is still starting.
const starting = startWorker();
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // npm and tsx pass a signal on to the worker that it also got from the terminal: a repeat is not a second request.
    if (stopping) return;
    stopping = true;
    rootLogger.info({ signal }, "signal received: stopping");
    void starting
      .then((worker) => worker.stop())
      .then(() => closeDatabase())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          rootLogger.error({ err: error }, "stopping failed");
          process.exit(1);
        },
      );
  });
}
await starting;
