import "server-only";
import { randomUUID } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import { db } from "@/db";
import { env } from "@/lib/env";
import { type Logger, rootLogger, runWithLogger } from "@/lib/logger";
import { recordProcessingDuration, recordProcessingFailure } from "@/lib/metrics/recorders";
import { classifyFailure, type FailureReason } from "@/lib/processing/failure-reasons";
import { FfmpegError, resolveBinaries } from "@/lib/processing/ffmpeg";
import { type ProcessingContext, processVideo } from "@/lib/processing/process-video";
import { UnprocessableVideoError } from "@/lib/processing/probe";
import { queueSettings } from "@/lib/queue";
import { PROCESS_VIDEO_QUEUE, startBoss, SWEEP_QUEUE, transactionExecutor } from "@/lib/queue/boss";
import { processVideoJobSchema } from "@/lib/queue/jobs";
import { storage } from "@/lib/storage";
import { failProcessing } from "@/lib/videos/processing-state";
import { sweep } from "@/lib/videos/sweeper";
import { workInvitationEmails } from "@/lib/email/deliver-invitation";
import { workTranscriptions } from "./transcriptions";
import { startHeartbeat } from "./heartbeat";
import { recoverStalledJobs } from "./recovery";

const SWEEP_CRON = "*/5 * * * *";

export type Worker = { id: string; stop: () => Promise<void> };

/**
 * What an instructor reads when an attempt fails (ffmpeg's failure in plain words, or a pointer to the log for
 * internal errors), and the reason the failure metric counts.
 */
function describeFailure(error: unknown): { message: string; reason: FailureReason } {
  if (error instanceof UnprocessableVideoError) return { message: error.message, reason: error.code };
  if (error instanceof FfmpegError) {
    if (error.reason === "exit") {
      const { code, message } = classifyFailure(error.stderr);
      return { message, reason: code };
    }
    return { message: `${error.message}.`, reason: error.reason === "stalled" ? "stalled" : error.reason === "timeout" ? "timeout" : "internal" };
  }
  return { message: "An internal error interrupted processing (the worker's log has the details).", reason: "internal" };
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

/**
 * Starts a worker: `concurrency` videos at a time, the periodic sweep, recovery of jobs whose worker died, and a
 * heartbeat for the metrics. `stop()` is the graceful shutdown: no new jobs; running ones get until
 * `shutdownGraceMs` minus a margin to finish, then are stopped and handed back to the queue (not counted as an
 * attempt) for another worker; it resolves within the grace period.
 */
export async function startWorker({
  concurrency = env.PROCESSING_CONCURRENCY,
  shutdownGraceMs = env.WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
}: { concurrency?: number; shutdownGraceMs?: number } = {}): Promise<Worker> {
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = rootLogger.child({ worker: workerId });
  const { warnings, ...binaries } = resolveBinaries({ ffmpegPath: env.FFMPEG_PATH, ffprobePath: env.FFPROBE_PATH });
  // The text operators (and tests) look for: "[worker] warning: no ffmpeg on PATH …".
  for (const warning of warnings) logger.warn(`[worker] warning: ${warning}`);
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
  const active = new Set<string>();
  const handedBack: string[] = [];

  /** Stopped by the shutdown: the video says so, and the job is cancelled here and resumed once pg-boss let go of it. */
  const handBack = async (job: PgBoss.JobWithMetadata<unknown>, videoId: string, jobLog: Logger) => {
    await failProcessing({ videoId, jobId: job.id, final: false, message: "The worker processing this video was stopped; it is queued again." });
    await boss.cancel(PROCESS_VIDEO_QUEUE, job.id);
    handedBack.push(job.id);
    jobLog.info("handed back to the queue (worker shutting down)");
  };

  const handle = async (job: PgBoss.JobWithMetadata<unknown>, jobLog: Logger) => {
    const { videoId } = processVideoJobSchema.parse(job.data);
    const attempt = job.retryCount + 1;
    if (shutdown.signal.aborted) return handBack(job, videoId, jobLog);
    const started = Date.now();
    active.add(job.id);
    try {
      const processed = await processVideo({ context, videoId, jobId: job.id, attempt, signal: shutdown.signal });
      const seconds = (Date.now() - started) / 1000;
      if (processed) {
        jobLog.info({ attempt, seconds: Number(seconds.toFixed(1)) }, "video ready");
        await recordProcessingDuration(seconds);
      } else jobLog.info("nothing to do");
    } catch (error) {
      if (shutdown.signal.aborted) return handBack(job, videoId, jobLog);
      const { message, reason } = describeFailure(error);
      const final = error instanceof UnprocessableVideoError || job.retryCount >= job.retryLimit;
      if (error instanceof UnprocessableVideoError) jobLog.info({ attempt, reason }, `failed: ${message}`);
      else jobLog.error({ attempt, reason, err: error }, "attempt failed");
      await recordProcessingFailure(reason);
      await failProcessing({ videoId, jobId: job.id, final, message: final ? message : `Attempt ${attempt} failed: ${message} Retrying.` });
      // A file that is not a video will not become one: the job is done. Anything else goes back to pg-boss to retry.
      if (!(error instanceof UnprocessableVideoError)) throw error;
    } finally {
      active.delete(job.id);
    }
  };

  for (let lane = 0; lane < concurrency; lane++) {
    await boss.work(PROCESS_VIDEO_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const job of jobs) {
        const jobLog = logger.child({ jobId: job.id, videoId: (job.data as { videoId?: unknown } | null)?.videoId });
        await runWithLogger(jobLog, () => handle(job, jobLog));
      }
    });
  }
  const sweepLog = logger.child({ task: "sweep" });
  const runSweep = () =>
    runWithLogger(sweepLog, async () => {
      const report = await sweep({ storage, uploadTtlHours: env.UPLOAD_TTL_HOURS, watchDataDays: env.WATCH_DATA_DAYS });
      if (Object.values(report).some(Boolean)) sweepLog.info({ report }, "sweep done");
    });
  await boss.work(SWEEP_QUEUE, runSweep);
  await boss.schedule(SWEEP_QUEUE, SWEEP_CRON);
  // A sweep on start too, so a fresh deployment does not wait for the first scheduled one.
  void runSweep().catch((error: unknown) => sweepLog.error({ err: error }, "sweep failed"));

  // Invitation emails, when SMTP is configured (without it the app queues none).
  const mail = env.SMTP_URL ? await workInvitationEmails({ boss, smtpUrl: env.SMTP_URL, from: env.SMTP_FROM }) : undefined;

  // Machine captions, when a transcription server is configured (without it nothing is queued).
  if (env.TRANSCRIPTION_URL) {
    await workTranscriptions({
      boss,
      logger,
      context: { ...context, settings: { url: env.TRANSCRIPTION_URL, apiKey: env.TRANSCRIPTION_API_KEY, model: env.TRANSCRIPTION_MODEL } },
      signal: shutdown.signal,
    });
  }

  const recoveryLog = logger.child({ task: "recovery" });
  const recover = () =>
    runWithLogger(recoveryLog, () => recoverStalledJobs({ boss, stallMs: context.stallMs })).catch((error: unknown) =>
      recoveryLog.error({ err: error }, "recovering stalled jobs failed"),
    );
  await recover();
  const recovery = setInterval(recover, Math.max(1000, Math.round(context.stallMs / 2)));
  const heartbeat = await startHeartbeat({ workerId, intervalMs: Math.min(5000, Math.max(1000, Math.round(context.stallMs / 2))), activeJobs: () => active.size, logger });

  logger.info({ concurrency }, `processing up to ${concurrency} video(s) at a time with ${binaries.ffmpeg}`);
  let stopping: Promise<void> | undefined;
  return {
    id: workerId,
    stop() {
      stopping ??= (async () => {
        const began = Date.now();
        clearInterval(recovery);
        // Running jobs may finish until the margin before the grace period ends; then ffmpeg is stopped and the job handed back.
        const margin = Math.min(5000, Math.round(shutdownGraceMs / 5));
        const handBackTimer = setTimeout(() => shutdown.abort(), Math.max(0, shutdownGraceMs - margin));
        logger.info({ activeJobs: active.size, graceSeconds: shutdownGraceMs / 1000 }, "stopping: taking no new jobs");
        // pg-boss stops fetching, waits for running handlers (failing, as a backstop, any still running at the end).
        await boss.stop({ graceful: true, timeout: Math.max(1000, shutdownGraceMs) });
        clearTimeout(handBackTimer);
        // pg-boss has let go of the cancelled jobs (its complete or fail no longer matches them): queue them again,
        // as they were (no attempt spent), on our pool since pg-boss closed its own.
        if (handedBack.length) await boss.resume(PROCESS_VIDEO_QUEUE, handedBack, { db: transactionExecutor(db) });
        await heartbeat.stop();
        mail?.close();
        logger.info({ handedBack: handedBack.length, ms: Date.now() - began }, "stopped");
      })();
      return stopping;
    },
  };
}
