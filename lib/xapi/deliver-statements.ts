import "server-only";
import type PgBoss from "pg-boss";
import { type Logger, log, runWithLogger } from "@/lib/logger";
import { XAPI_STATEMENTS_QUEUE } from "@/lib/queue/boss";
import { xapiStatementsJobSchema } from "@/lib/queue/jobs";
import type { LrsClient } from "./lrs-client";
import type { XapiStatement } from "./statement-schema";

/** Jobs fetched at once: their statements go to the LRS together, in POSTs of the client's batch size. */
const JOBS_PER_FETCH = 50;

type Parsed = { job: PgBoss.Job<unknown>; statements: XapiStatement[] };

/** Consecutive jobs whose statements fill at most one POST each (a job larger than a POST gets a group of its own). */
function groupJobs(jobs: Parsed[], batchSize: number): Parsed[][] {
  const groups: Parsed[][] = [];
  let current: Parsed[] = [];
  let count = 0;
  for (const job of jobs) {
    if (current.length > 0 && count + job.statements.length > batchSize) {
      groups.push(current);
      current = [];
      count = 0;
    }
    current.push(job);
    count += job.statements.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Works the xapi-statements queue (the worker does, when XAPI_ENDPOINT is set): the statements of the jobs fetched
 * together are POSTed in batches; a batch the LRS refuses or does not answer fails its jobs only, which pg-boss
 * retries with backoff. Nothing is lost meanwhile: the statements stay in their jobs.
 */
export async function workXapiStatements({ boss, client, logger }: { boss: PgBoss; client: LrsClient; logger: Logger }) {
  await boss.work(XAPI_STATEMENTS_QUEUE, { batchSize: JOBS_PER_FETCH, pollingIntervalSeconds: 1 }, (jobs) =>
    runWithLogger(logger.child({ queue: XAPI_STATEMENTS_QUEUE }), async () => {
      const parsed: Parsed[] = [];
      for (const job of jobs) {
        const data = xapiStatementsJobSchema.safeParse(job.data);
        if (data.success) parsed.push({ job, statements: data.data.statements });
        else {
          log().error({ jobId: job.id, issues: data.error.issues.slice(0, 5) }, "xAPI job with unreadable statements");
          await boss.fail(XAPI_STATEMENTS_QUEUE, job.id, { message: "The job's statements are not valid xAPI statements." });
        }
      }
      for (const group of groupJobs(parsed, client.batchSize)) {
        const statements = group.flatMap((entry) => entry.statements);
        try {
          await client.sendStatements(statements);
          log().debug({ statements: statements.length, jobs: group.length }, "xAPI statements sent");
        } catch (error) {
          log().warn({ err: error, statements: statements.length, jobs: group.length }, "xAPI statements not accepted; retrying later");
          const message = error instanceof Error ? error.message : String(error);
          for (const entry of group) await boss.fail(XAPI_STATEMENTS_QUEUE, entry.job.id, { message });
        }
      }
    }),
  );
}
