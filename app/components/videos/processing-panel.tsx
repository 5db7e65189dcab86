"use client";

import type { VideoDto } from "@/lib/videos/dto";
import { ProgressBar } from "../progress-bar";

const STAGE_LABEL: Record<string, string> = {
  queued: "Waiting for a worker",
  downloading: "Fetching the upload",
  probing: "Reading the video",
  transcoding: "Encoding renditions",
  uploading: "Storing renditions",
  retrying: "Retrying soon",
};

type Props = { video: VideoDto; canRetry: boolean; retrying: boolean; onRetry: () => void };

/**
 * Processing state for the course's staff: stage and progress while it runs (also while a ready video is
 * reprocessed, still playing its current renditions, and while a playable one's ladder is encoded), the reason and a
 * retry when it failed.
 */
export function ProcessingPanel({ video, canRetry, retrying, onRetry }: Props) {
  const { processing } = video;
  const retry = canRetry ? { retrying, onRetry } : undefined;
  if (video.status === "failed") {
    return <FailureAlert title="Processing failed" reason={processing.error ?? "No reason was recorded."} retryLabel="Retry processing" retry={retry} />;
  }
  const reprocessing = video.status === "ready" && processing.stage !== null;
  const replacing = video.replacement?.status === "uploaded";
  // A failed replacement says so itself (the "Replace video" panel).
  if (video.status === "ready" && !reprocessing && processing.error && video.replacement?.status !== "failed") {
    return (
      <FailureAlert title="Reprocessing failed" reason={`${processing.error} The previous renditions still play.`} retryLabel="Retry reprocessing" retry={retry} />
    );
  }
  if (video.status === "playable" && processing.stage === null) {
    // The ladder failed for good after the first renditions were published: those still play.
    if (!processing.error || video.replacement?.status === "failed") return null;
    return (
      <FailureAlert title="Improving quality failed" reason={`${processing.error} The published renditions still play.`} retryLabel="Retry processing" retry={retry} />
    );
  }
  if (video.status === "playable") {
    const stage = processing.stage ? (STAGE_LABEL[processing.stage] ?? processing.stage) : "Encoding renditions";
    return (
      <div className="card stack" aria-label="Improving quality">
        <p>Playable: viewers can watch it now. The other renditions are still being encoded and join as they finish.</p>
        <ProgressBar label="Quality progress" percent={processing.progressPercent} />
        <p className="muted" aria-live="polite">
          Improving quality · {stage} · {processing.progressPercent}%{processing.attempt > 1 ? ` · attempt ${processing.attempt}` : ""}
        </p>
      </div>
    );
  }
  if (video.status !== "uploaded" && video.status !== "processing" && !reprocessing) return null;
  const percent = video.status === "uploaded" ? 0 : processing.progressPercent;
  const stage = processing.stage ? (STAGE_LABEL[processing.stage] ?? processing.stage) : "Waiting for a worker";
  return (
    <div className="card stack" aria-label={reprocessing ? "Reprocessing" : "Processing"}>
      {reprocessing ? (
        <p>
          {replacing
            ? `Processing the new version (“${video.replacement?.originalFilename ?? ""}”): viewers keep watching the current one until it is ready.`
            : "Reprocessing: viewers keep watching the current renditions until the new ones are ready."}
        </p>
      ) : null}
      <ProgressBar label={reprocessing ? "Reprocessing progress" : "Processing progress"} percent={percent} />
      <p className="muted" aria-live="polite">
        {stage} · {percent}%{processing.attempt > 1 ? ` · attempt ${processing.attempt}` : ""}
        {processing.stage === "retrying" && processing.error ? ` · ${processing.error}` : ""}
      </p>
    </div>
  );
}

function FailureAlert({ title, reason, retryLabel, retry }: { title: string; reason: string; retryLabel: string; retry?: { retrying: boolean; onRetry: () => void } }) {
  return (
    <div className="card stack" role="alert" aria-label={title}>
      <p>
        <strong>{title}.</strong> {reason}
      </p>
      {retry ? (
        <div className="actions">
          <button type="button" className="button" onClick={retry.onRetry} disabled={retry.retrying}>
            {retry.retrying ? "Queuing…" : retryLabel}
          </button>
        </div>
      ) : null}
    </div>
  );
}
