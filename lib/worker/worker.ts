import "server-only";
import { readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { plainFailureReason } from "@/lib/processing/failure-reasons";
import { FfmpegError, resolveBinaries } from "@/lib/processing/ffmpeg";
import { type ProcessingContext, processVideo } from "@/lib/processing/process-video";
import { UnprocessableVideoError } from "@/lib/processing/probe";
import { queueSettings } from "@/lib/queue";
import { PROCESS_VIDEO_QUEUE, startBoss, SWEEP_QUEUE } from "@/lib/queue/boss";
import { processVideoJobSchema } from "@/lib/queue/jobs";
import { storage } from "@/lib/storage";
import { failProcessing } from "@/lib/videos/processing-state";
import { sweep } from "@/lib/videos/sweeper";
import { workInvitationEmails } from "@/lib/email/deliver-invitation";
import { recoverStalledJobs } from "./recovery";

const SWEEP_CRON = "*/5 * * * *";

export type Worker = { stop: () => Promise<void> };

/** What an instructor reads when an attempt fails: ffmpeg's failure in plain words, or a pointer to the log for internal errors. */
function describeFailure(error: unknown): string {
  if (error instanceof UnprocessableVideoError) return error.message;
  if (error instanceof FfmpegError) return error.reason === "exit" ? plainFailureReason(error.stderr) : `${error.message}.`;
  return "An internal error interrupted processing (the worker's log has the details).";
}

/** Scratch directories a killed worker left behind (a day old: no live job on this machine still uses them). */
async function removeAbandonedWorkDirs(tempDir: string) {
  const dayAgo = Date.now() - 24 * 3_600_000;
  const entries = await readdir(tempDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^lectern-[0-9a-f-]{36}-/.test(entry.name)) continue;
    const dir = path.join(tempDir, entry.name);
    const { mtimeMs } = await stat(dir);
    if (mtimeMs < dayAgo) await rm(dir, { recursive: true, force: true });
  }
}

/** Starts a worker: `concurrency` videos at a time, the periodic sweep, and recovery of jobs whose worker died. */
export async function startWorker({ concurrency = env.PROCESSING_CONCURRENCY }: { concurrency?: number } = {}): Promise<Worker> {
  const { warnings, ...binaries } = resolveBinaries({ ffmpegPath: env.FFMPEG_PATH, ffprobePath: env.FFPROBE_PATH });
  for (const warning of warnings) console.warn(`[worker] warning: ${warning}`);
  const context: ProcessingContext = {
    binaries,
    limits: {
      maxSidePixels: env.PROCESSING_MAX_SIDE_PIXELS,
      maxFps: env.PROCESSING_MAX_FPS,
      maxDurationSeconds: env.PROCESSING_MAX_DURATION_HOURS * 3600,
    },
    storage,
    tempDir: env.PROCESSING_TEMP_DIR ?? os.tmpdir(),
    stallMs: env.PROCESSING_STALL_SECONDS * 1000,
  };
  await removeAbandonedWorkDirs(context.tempDir);
  const boss = await startBoss({ databaseUrl: env.DATABASE_URL, role: "worker", settings: queueSettings });
  const shutdown = new AbortController();

  const handle = async (job: PgBoss.JobWithMetadata<unknown>) => {
    const { videoId } = processVideoJobSchema.parse(job.data);
    const attempt = job.retryCount + 1;
    const started = Date.now();
    try {
      const processed = await processVideo({ context, videoId, jobId: job.id, attempt, signal: shutdown.signal });
      console.log(`[worker] video ${videoId}: ${processed ? `ready in ${((Date.now() - started) / 1000).toFixed(1)} s` : "nothing to do"}`);
    } catch (error) {
      const message = shutdown.signal.aborted ? "The worker stopped while processing." : describeFailure(error);
      const final = error instanceof UnprocessableVideoError || job.retryCount >= job.retryLimit;
      if (error instanceof UnprocessableVideoError) console.log(`[worker] video ${videoId}: failed: ${message}`);
      else console.error(`[worker] video ${videoId} attempt ${attempt} failed:`, error);
      await failProcessing({ videoId, jobId: job.id, final, message: final ? message : `Attempt ${attempt} failed: ${message} Retrying.` });
      // A file that is not a video will not become one: the job is done. Anything else goes back to pg-boss to retry.
      if (!(error instanceof UnprocessableVideoError)) throw error;
    }
  };

  for (let lane = 0; lane < concurrency; lane++) {
    await boss.work(PROCESS_VIDEO_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const job of jobs) await handle(job);
    });
  }
  const runSweep = async () => {
    const report = await sweep({ storage, uploadTtlHours: env.UPLOAD_TTL_HOURS });
    if (Object.values(report).some(Boolean)) console.log("[worker] sweep:", report);
  };
  await boss.work(SWEEP_QUEUE, runSweep);
  await boss.schedule(SWEEP_QUEUE, SWEEP_CRON);
  // A sweep on start too, so a fresh deployment does not wait for the first scheduled one.
  void runSweep().catch((error: unknown) => console.error("[worker] sweep failed:", error));

  // Invitation emails, when SMTP is configured (without it the app queues none).
  const mail = env.SMTP_URL ? await workInvitationEmails({ boss, smtpUrl: env.SMTP_URL, from: env.SMTP_FROM }) : undefined;

  const recover = () =>
    recoverStalledJobs({ boss, stallMs: context.stallMs }).catch((error: unknown) => console.error("[worker] recovering stalled jobs failed:", error));
  await recover();
  const recovery = setInterval(recover, Math.max(1000, context.stallMs / 2));

  console.log(`[worker] processing up to ${concurrency} video(s) at a time with ${binaries.ffmpeg}`);
  return {
    async stop() {
      clearInterval(recovery);
      // Running ffmpegs are stopped; their jobs fail and are retried by another worker (or this one, restarted).
      shutdown.abort();
      await boss.stop({ graceful: true, timeout: 10_000 });
      mail?.close();
    },
  };
}
