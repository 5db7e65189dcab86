import "server-only";
import type PgBoss from "pg-boss";
import type { Transaction } from "@/db/client";
import { env } from "@/lib/env";
import { INVITATION_EMAIL_QUEUE, PROCESS_VIDEO_QUEUE, TRANSCRIBE_VIDEO_QUEUE, type QueueSettings, startBoss, transactionExecutor, XAPI_STATEMENTS_QUEUE } from "./boss";
import type { InvitationEmailJob, ProcessVideoJob, TranscribeVideoJob, XapiStatementsJob } from "./jobs";

export const queueSettings: QueueSettings = {
  retryLimit: env.PROCESSING_RETRY_LIMIT,
  retryDelaySeconds: env.PROCESSING_RETRY_DELAY_SECONDS,
};

// One sender per server process; survives hot reloads in development.
const globalForQueue = globalThis as unknown as { lecternBoss?: Promise<PgBoss> };

function sender(): Promise<PgBoss> {
  globalForQueue.lecternBoss ??= startBoss({ databaseUrl: env.DATABASE_URL, role: "app", settings: queueSettings }).catch((error: unknown) => {
    globalForQueue.lecternBoss = undefined;
    throw error;
  });
  return globalForQueue.lecternBoss;
}

/** Queues the video's processing inside the caller's transaction: the job exists if and only if the transaction commits. */
export async function enqueueProcessing({ tx, videoId }: { tx: Transaction; videoId: string }): Promise<void> {
  const boss = await sender();
  const job: ProcessVideoJob = { videoId };
  await boss.send(PROCESS_VIDEO_QUEUE, job, { db: transactionExecutor(tx) });
}

/** Queues invitation emails inside the caller's transaction (the invitations and their emails commit together). */
export async function enqueueInvitationEmails({ tx, jobs }: { tx: Transaction; jobs: InvitationEmailJob[] }): Promise<void> {
  const boss = await sender();
  const db = transactionExecutor(tx);
  for (const job of jobs) await boss.send(INVITATION_EMAIL_QUEUE, job, { db });
}

/** Queues machine captions of a video inside the caller's transaction (with the status that says it is queued). */
export async function enqueueTranscription({ tx, videoId }: { tx: Transaction; videoId: string }): Promise<void> {
  const boss = await sender();
  const job: TranscribeVideoJob = { videoId };
  await boss.send(TRANSCRIBE_VIDEO_QUEUE, job, { db: transactionExecutor(tx) });
}

/** Queues xAPI statements for the learning record store inside the caller's transaction (the recorded batch's). */
export async function enqueueXapiStatements({ tx, job }: { tx: Transaction; job: XapiStatementsJob }): Promise<void> {
  const boss = await sender();
  await boss.send(XAPI_STATEMENTS_QUEUE, job, { db: transactionExecutor(tx) });
}
