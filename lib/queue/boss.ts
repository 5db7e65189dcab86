import PgBoss from "pg-boss";
import { type SQL, sql } from "drizzle-orm";
import { rootLogger } from "@/lib/logger";
import type { Executor } from "@/db/client";

export const PROCESS_VIDEO_QUEUE = "process-video";
export const SWEEP_QUEUE = "sweep";
export const INVITATION_EMAIL_QUEUE = "invitation-email";
export const TRANSCRIBE_VIDEO_QUEUE = "transcribe-video";
export const XAPI_STATEMENTS_QUEUE = "xapi-statements";

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
  boss.on("error", (error: Error) => rootLogger.error({ err: error, component: "queue" }, "pg-boss error"));
  await boss.start();
  const processOptions = {
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    // pg-boss's ceiling (under 24 h); ffmpeg's own limit (transcode.ts) stays below it.
    expireInSeconds: 23 * 60 * 60,
    retentionMinutes: 7 * 24 * 60,
  };
  await boss.createQueue(PROCESS_VIDEO_QUEUE, { name: PROCESS_VIDEO_QUEUE, ...processOptions });
  await boss.updateQueue(PROCESS_VIDEO_QUEUE, { name: PROCESS_VIDEO_QUEUE, ...processOptions });
  await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, retryLimit: 0, expireInSeconds: 15 * 60 });
  // A slow or failing SMTP server delays an email, never an invitation: 6 attempts over about half an hour.
  await boss.createQueue(INVITATION_EMAIL_QUEUE, {
    name: INVITATION_EMAIL_QUEUE,
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 5 * 60,
    retentionMinutes: 7 * 24 * 60,
  });
  // Machine captions retry as processing does (a transcription server that is down or overloaded), for at most an hour a run.
  const transcribeOptions = { ...processOptions, expireInSeconds: 60 * 60 };
  await boss.createQueue(TRANSCRIBE_VIDEO_QUEUE, { name: TRANSCRIBE_VIDEO_QUEUE, ...transcribeOptions });
  await boss.updateQueue(TRANSCRIBE_VIDEO_QUEUE, { name: TRANSCRIBE_VIDEO_QUEUE, ...transcribeOptions });
  // xAPI statements wait out an LRS that is down: 11 attempts with backoff, about 8 hours at the default 30 s delay.
  const xapiOptions = { retryLimit: 10, retryDelay: settings.retryDelaySeconds, retryBackoff: true, expireInSeconds: 5 * 60, retentionMinutes: 7 * 24 * 60 };
  await boss.createQueue(XAPI_STATEMENTS_QUEUE, { name: XAPI_STATEMENTS_QUEUE, ...xapiOptions });
  await boss.updateQueue(XAPI_STATEMENTS_QUEUE, { name: XAPI_STATEMENTS_QUEUE, ...xapiOptions });
  return boss;
}

/**
 * A pg-boss `db` that runs its SQL on the caller's drizzle transaction (drizzle's public `execute`), so the job
 * commits or rolls back with it; or on the pool, for a process whose pg-boss has stopped.
 */
export function transactionExecutor(tx: Executor): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const rows = await tx.execute<Record<string, unknown>>(boundStatement(text, values));
      return { rows: [...rows] };
    },
  };
}

/**
 * pg-boss's `$n` statement as a drizzle query. Drizzle numbers its parameters in the order they appear, so each
 * value is bound where pg-boss first uses it (its statements use $1, $2, … in order) and its later uses keep the
 * literal `$n`: one parameter per value, typed by Postgres exactly as in pg-boss's own statement.
 */
export function boundStatement(text: string, values: unknown[]): SQL {
  const query = sql.empty();
  let bound = 0;
  let end = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    const index = Number(match[1]);
    query.append(sql.raw(text.slice(end, match.index)));
    if (index === bound + 1) {
      query.append(sql`${sql.param(driverValue(values[index - 1]))}`);
      bound = index;
    } else if (index <= bound) {
      query.append(sql.raw(match[0]));
    } else {
      throw new Error(`The queue statement uses $${index} before $${bound + 1}.`);
    }
    end = match.index + match[0].length;
  }
  query.append(sql.raw(text.slice(end)));
  if (bound !== values.length) throw new Error(`The queue statement uses ${bound} of its ${values.length} values.`);
  return query;
}

/** Our postgres.js client passes json/jsonb values through as they are (drizzle's setting), so objects go as JSON text. */
function driverValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object" && !(value instanceof Date) && !Array.isArray(value)) return JSON.stringify(value);
  return value;
}
