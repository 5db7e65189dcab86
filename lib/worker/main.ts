import { closeDatabase } from "@/db";
import { startWorker } from "./worker";

/** `npm run worker`: processes videos until SIGINT/SIGTERM. Run as many as you like, on as many machines. */
const worker = await startWorker();
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: stopping`);
    void worker
      .stop()
      .then(() => closeDatabase())
      .then(() => process.exit(0), (error: unknown) => {
        console.error("[worker] stopping failed:", error);
        process.exit(1);
      });
  });
}
