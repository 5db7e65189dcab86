import "server-only";
import { selectCounters, selectQueueDepths, selectUploadTotals, selectWorkerHeartbeats } from "@/db/queries/metrics";
import { log } from "@/lib/logger";
import { FAILURE_REASONS } from "@/lib/processing/failure-reasons";
import { PROCESS_VIDEO_QUEUE, SWEEP_QUEUE } from "@/lib/queue/boss";
import { counterFamily, type Family, formatFamilies, histogramFamily } from "./exposition";
import {
  COMPLETE_LATENCY,
  PROCESSING_DURATION,
  PROCESSING_FAILURES,
  QUEUE_JOBS,
  UPLOAD_METRICS,
  WORKER_ACTIVE_JOBS,
  WORKER_HEARTBEAT,
} from "./families";
import { processRegistry } from "./registry";

const STATUS_CLASSES = ["2xx", "4xx", "5xx"];
const QUEUE_STATES = ["created", "retry", "active"];

/** Every queue and state, at 0 when empty (a missing series would read as "no data", not "no jobs"). */
function queueSamples(rows: { queue: string; state: string; jobs: number }[]) {
  const queues = [...new Set([PROCESS_VIDEO_QUEUE, SWEEP_QUEUE, ...rows.map((row) => row.queue)])];
  return queues.flatMap((queue) =>
    QUEUE_STATES.map((state) => ({
      labels: { queue, state },
      value: Number(rows.find((row) => row.queue === queue && row.state === state)?.jobs ?? 0),
    })),
  );
}

/**
 * Everything `/api/metrics` answers, read at scrape time: Lectern's metrics from PostgreSQL (the same from any app
 * process: uploads from the videos table, events every process counted, pg-boss's queues, workers' heartbeats),
 * then this process's Node.js metrics.
 */
export async function scrapeMetrics(): Promise<{ contentType: string; body: string }> {
  const [uploads, counters, queues, workers] = await Promise.all([
    selectUploadTotals(),
    selectCounters(),
    selectQueueDepths().catch((error: unknown) => {
      // pg-boss creates its schema when the first worker or sender starts.
      log().warn({ err: error }, "reading the queue depth failed");
      return [];
    }),
    selectWorkerHeartbeats(),
  ]);
  const families: Family[] = [
    ...Object.entries(UPLOAD_METRICS).map(([key, family]): Family => ({
      ...family,
      type: "counter",
      samples: [{ value: uploads[key as keyof typeof uploads] }],
    })),
    histogramFamily(COMPLETE_LATENCY, counters, STATUS_CLASSES.map((status) => ({ status }))),
    histogramFamily(PROCESSING_DURATION, counters),
    counterFamily(PROCESSING_FAILURES, counters, FAILURE_REASONS.map((reason) => ({ reason }))),
    { ...QUEUE_JOBS, type: "gauge", samples: queueSamples(queues) },
    {
      ...WORKER_HEARTBEAT,
      type: "gauge",
      samples: workers.map((worker) => ({ labels: { worker: worker.workerId, host: worker.host }, value: worker.lastHeartbeatAt.getTime() / 1000 })),
    },
    {
      ...WORKER_ACTIVE_JOBS,
      type: "gauge",
      samples: workers.map((worker) => ({ labels: { worker: worker.workerId, host: worker.host }, value: worker.activeJobs })),
    },
  ];
  const registry = processRegistry();
  return { contentType: registry.contentType, body: formatFamilies(families) + (await registry.metrics()) };
}
