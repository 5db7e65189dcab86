import PgBoss from "pg-boss";
import type { Sql } from "postgres";
import type { Transaction } from "@/db/client";

export const PROCESS_VIDEO_QUEUE = "process-video";
export const SWEEP_QUEUE = "sweep";

export type QueueSettings = {
  /** Attempts after the first (the "3 attempts" is 2 retries). */
  retryLimit: number;
  retryDelaySeconds: number;
};

/**
 * A pg-boss instance on our Postgres. The app only sends (no maintenance, no
 * cron); workers supervise, schedule and work. Both create the queues, so
 * whichever starts first on a fresh database is enough.
 */
export async function startBoss({
  databaseUrl,
  role,
  settings,
}: {
  databaseUrl: string;
  role: "app" | "worker";
  settings: QueueSettings;
}): Promise<PgBoss> {
  const worker = role === "worker";
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: worker ? 4 : 2,
    supervise: worker,
    schedule: worker,
    // The recovery of a job whose worker died is ours (heartbeats); pg-boss's expiry is only a backstop.
    maintenanceIntervalSeconds: 60,
  });
  boss.on("error", (error: Error) => console.error("[queue]", error));
  await boss.start();
  const processOptions = {
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    // pg-boss's ceiling (under 24 h); ffmpeg's own limit (process-video.ts) stays below it.
    expireInSeconds: 23 * 60 * 60,
    retentionMinutes: 7 * 24 * 60,
  };
  await boss.createQueue(PROCESS_VIDEO_QUEUE, { name: PROCESS_VIDEO_QUEUE, ...processOptions });
  await boss.updateQueue(PROCESS_VIDEO_QUEUE, { name: PROCESS_VIDEO_QUEUE, ...processOptions });
  await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, retryLimit: 0, expireInSeconds: 15 * 60 });
  return boss;
}

/** A pg-boss `db` that runs its SQL on the caller's drizzle transaction, so the job commits or rolls back with it. */
export function transactionExecutor(tx: Transaction) {
  const client = (tx as unknown as { session: { client: Sql } }).session.client;
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const params = values.map((value) =>
        value === undefined ? null : value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value,
      );
      const rows = await client.unsafe(text, params as never[]);
      return { rows: [...rows] };
    },
  };
}
