/** Lectern's own metrics: names, help and histogram buckets, shared by the processes that count and the scrape. */

export const UPLOAD_METRICS = {
  started: { name: "lectern_uploads_started_total", help: "Uploads started (videos created by upload-init)." },
  completed: { name: "lectern_uploads_completed_total", help: "Uploads completed (the source is whole in storage)." },
  aborted: { name: "lectern_uploads_aborted_total", help: "Uploads aborted, by the uploader or by the sweep of stale uploads." },
  bytes: { name: "lectern_uploaded_bytes_total", help: "Bytes of the completed uploads." },
} as const;

export type HistogramFamily = { name: string; help: string; buckets: readonly number[] };

export const COMPLETE_LATENCY: HistogramFamily = {
  name: "lectern_upload_complete_duration_seconds",
  help: "Time the complete endpoint took to answer (checking parts, completing the multipart upload, queuing processing), by status class.",
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
};

export const PROCESSING_DURATION: HistogramFamily = {
  name: "lectern_processing_duration_seconds",
  help: "Time a processing job took from claim to published renditions (successful runs).",
  buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400],
};

export const PROCESSING_FAILURES = {
  name: "lectern_processing_failures_total",
  help: "Failed processing attempts, by reason (lib/processing/failure-reasons.ts).",
} as const;

export const QUEUE_JOBS = { name: "lectern_queue_jobs", help: "pg-boss jobs per queue and state (created, retry: waiting; active: running)." } as const;

export const WORKER_HEARTBEAT = {
  name: "lectern_worker_last_heartbeat_timestamp_seconds",
  help: "When each running worker process last reported (Unix time); alert on time() minus this.",
} as const;

export const WORKER_ACTIVE_JOBS = { name: "lectern_worker_active_jobs", help: "Processing jobs each worker process is running." } as const;
