import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";

const WORKER_FILES_LOCK = 7_262_021;

/**
 * Test files that run workers take turns (call this first, at the top of the file): every worker polls the one
 * queue of the shared test database, so one file's worker could take another file's job, fail it on purpose, or hold
 * it when the file kills that worker. A session-level advisory lock, released when its connection closes (after
 * the file's own clean-up, which stops its workers: after-hooks run in reverse order).
 */
export function oneWorkerFileAtATime() {
  let lock: postgres.Sql | undefined;
  beforeAll(async () => {
    lock = postgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
    await lock`select pg_advisory_lock(${WORKER_FILES_LOCK})`;
  }, 600_000);
  afterAll(async () => {
    await lock?.end();
  });
}
