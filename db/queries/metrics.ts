import "server-only";
import { eq, lt, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { metricCounters, videos, workerHeartbeats } from "@/db/schema";

export type CounterIncrement = { name: string; labels: string; value: number };

/** Adds to counters (creating them at 0), in one statement. */
export async function addToCounters({ increments, tx = db }: { increments: CounterIncrement[]; tx?: Executor }) {
  if (increments.length === 0) return;
  await tx
    .insert(metricCounters)
    .values(increments)
    .onConflictDoUpdate({ target: [metricCounters.name, metricCounters.labels], set: { value: sql`${metricCounters.value} + excluded.value` } });
}

export async function selectCounters({ tx = db }: { tx?: Executor } = {}) {
  return tx.select().from(metricCounters);
}

/**
 * Upload totals over every video ever started (rows are never deleted: deleting marks them): started, completed
 * (an `uploaded_at`), aborted (by the user or the sweep), and the bytes of the completed ones.
 */
export async function selectUploadTotals({ tx = db }: { tx?: Executor } = {}) {
  const [row] = await tx
    .select({
      started: sql<number>`count(*)::float8`,
      completed: sql<number>`(count(*) filter (where ${videos.uploadedAt} is not null))::float8`,
      aborted: sql<number>`(count(*) filter (where ${videos.status} = 'aborted'))::float8`,
      bytes: sql<number>`coalesce(sum(${videos.fileSizeBytes}) filter (where ${videos.uploadedAt} is not null), 0)::float8`,
    })
    .from(videos);
  return row ?? { started: 0, completed: 0, aborted: 0, bytes: 0 };
}

/** Jobs waiting (created, or retry after a failed attempt) and running, per pg-boss queue. */
export async function selectQueueDepths({ tx = db }: { tx?: Executor } = {}) {
  const rows = await tx.execute<{ queue: string; state: string; jobs: number }>(
    sql`select name as queue, state::text as state, count(*)::float8 as jobs from pgboss.job where state in ('created', 'retry', 'active') group by name, state`,
  );
  return [...rows];
}

export async function upsertWorkerHeartbeat({
  workerId,
  host,
  pid,
  startedAt,
  activeJobs,
  tx = db,
}: {
  workerId: string;
  host: string;
  pid: number;
  startedAt: Date;
  activeJobs: number;
  tx?: Executor;
}) {
  await tx
    .insert(workerHeartbeats)
    .values({ workerId, host, pid, startedAt, activeJobs, lastHeartbeatAt: sql`now()` })
    .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { activeJobs, lastHeartbeatAt: sql`now()` } });
}

export async function deleteWorkerHeartbeat({ workerId, tx = db }: { workerId: string; tx?: Executor }) {
  await tx.delete(workerHeartbeats).where(eq(workerHeartbeats.workerId, workerId));
}

/** Workers not heard of since `before` (they died without stopping cleanly) drop out of the metrics. */
export async function deleteStaleWorkerHeartbeats({ before, tx = db }: { before: Date; tx?: Executor }) {
  await tx.delete(workerHeartbeats).where(lt(workerHeartbeats.lastHeartbeatAt, before));
}

export async function selectWorkerHeartbeats({ tx = db }: { tx?: Executor } = {}) {
  return tx.select().from(workerHeartbeats);
}
