import "server-only";
import type PgBoss from "pg-boss";
import { selectStalledProcessing } from "@/db/queries/videos";
import { PROCESS_VIDEO_QUEUE } from "@/lib/queue/boss";
import { failProcessing } from "@/lib/videos/processing-state";
import { log } from "@/lib/logger";
import { recordProcessingFailure } from "@/lib/metrics/recorders";

/**
 * Jobs whose worker died (killed, machine lost) stay `active` in pg-boss until
 * a long expiry. Their videos stop getting heartbeats, so: fail such a job now
 * and pg-boss retries it (with its backoff) on whichever worker is alive.
 */
export async function recoverStalledJobs({ boss, stallMs }: { boss: PgBoss; stallMs: number }): Promise<number> {
  const before = new Date(Date.now() - stallMs);
  let recovered = 0;
  for (const { id: videoId, processingJobId: jobId } of await selectStalledProcessing({ before })) {
    if (!jobId) continue;
    const job = await boss.getJobById(PROCESS_VIDEO_QUEUE, jobId);
    if (job && (job.state === "created" || job.state === "retry")) continue; // queued again already
    if (job?.state === "active") {
      if (job.startedOn > before) continue; // just picked up; its heartbeat is on the way
      await boss.fail(PROCESS_VIDEO_QUEUE, jobId, { message: "the worker stopped responding" });
      const after = await boss.getJobById(PROCESS_VIDEO_QUEUE, jobId);
      const final = after?.state !== "retry" && after?.state !== "created";
      await failProcessing({
        videoId,
        jobId,
        final,
        message: final
          ? "The worker processing this video stopped responding and no attempts are left. Retry to process it again."
          : "The worker processing this video stopped responding; another attempt is queued.",
      });
      await recordProcessingFailure("worker-lost");
      log().warn({ jobId, videoId, final }, `job lost its worker; ${final ? "no attempts left" : "retrying"}`);
    } else {
      // The job ended (or vanished) without the video hearing of it.
      await failProcessing({ videoId, jobId, final: true, message: "Processing stopped unexpectedly. Retry to process it again." });
    }
    recovered++;
  }
  return recovered;
}
