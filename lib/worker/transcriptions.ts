import "server-only";
import type PgBoss from "pg-boss";
import { markTranscription } from "@/lib/captions/machine-captions";
import { type Logger, runWithLogger } from "@/lib/logger";
import { describeTranscriptionFailure, type TranscriptionContext, transcribeVideo } from "@/lib/processing/transcribe";
import { TRANSCRIBE_VIDEO_QUEUE } from "@/lib/queue/boss";
import { transcribeVideoJobSchema } from "@/lib/queue/jobs";

/**
 * Works the transcribe-video queue, one video at a time (a transcription server is usually one GPU or a few CPU
 * cores). A failed attempt says so on the video and goes back to pg-boss, which retries it with backoff; after the
 * last one (or a refusal no retry changes) the video's transcription is `failed` with the reason. The video itself
 * is never touched: it stays ready.
 */
export async function workTranscriptions({ boss, logger, context, signal }: { boss: PgBoss; logger: Logger; context: TranscriptionContext; signal: AbortSignal }) {
  await boss.work(TRANSCRIBE_VIDEO_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      const { videoId } = transcribeVideoJobSchema.parse(job.data);
      const jobLog = logger.child({ jobId: job.id, videoId, queue: TRANSCRIBE_VIDEO_QUEUE });
      await runWithLogger(jobLog, async () => {
        const attempt = job.retryCount + 1;
        try {
          const outcome = await transcribeVideo({ context, videoId, signal });
          jobLog.info({ attempt, outcome }, `machine captions ${outcome}`);
        } catch (error) {
          const { message, retryable } = describeTranscriptionFailure(error);
          const final = !retryable || job.retryCount >= job.retryLimit;
          // A refusal (no sound, bad answer, a person's track) is the server's or the video's, not a fault here.
          if (retryable) jobLog.warn({ attempt, err: error, final }, "transcription failed");
          else jobLog.info({ attempt, reason: message }, "transcription refused");
          await markTranscription({ videoId, status: final ? "failed" : "queued", error: final ? message : `Attempt ${attempt} failed: ${message} Retrying.` });
          if (retryable) throw error;
        }
      });
    }
  });
}
