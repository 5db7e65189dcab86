"use client";

import { ProgressBar } from "../progress-bar";
import type { UploadState } from "./use-upload";
import { formatBytes } from "@/lib/format-bytes";
import { formatDuration } from "./format";

type Props = {
  state: Extract<UploadState, { phase: "uploading" | "paused" }>;
  title: string;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
};

/** Step 3: progress, speed and time left, with Pause, Resume and Cancel. */
export function ProgressStep({ state, title, onPause, onResume, onCancel }: Props) {
  const progress = state.progress;
  // Bytes of parts still in flight move the bar too, so a large part does not sit still until it is stored.
  const sent = progress ? Math.min(progress.totalBytes, progress.bytesDone + progress.bytesSending) : 0;
  const percent = progress ? Math.floor((100 * sent) / Math.max(1, progress.totalBytes)) : 0;
  return (
    <section className="stack" aria-label="Upload">
      <p>
        Uploading <strong>{title}</strong>
        {state.resumedParts > 0
          ? ` (resumed: ${state.resumedParts} ${state.resumedParts === 1 ? "part was" : "parts were"} already stored)`
          : ""}
      </p>
      <ProgressBar label="Upload progress" percent={percent} />
      {state.offline ? (
        <p role="status" className="muted">
          Offline — the upload will continue when you are back online.
        </p>
      ) : null}
      <p className="muted" aria-live="polite">
        {progress ? (
          <>
            <span data-testid="bytes-sent">
              {formatBytes(progress.bytesDone)} of {formatBytes(progress.totalBytes)}
            </span>
            {" · "}
            {state.phase === "paused"
              ? "Paused"
              : state.offline
                ? "Waiting for the connection"
              : (
                  <>
                    <span data-testid="upload-speed">{formatBytes(progress.bytesPerSecond)}/s</span>
                    {` · ${progress.secondsLeft === null ? "estimating time left" : `${formatDuration(progress.secondsLeft)} left`}`}
                  </>
                )}
          </>
        ) : (
          "Starting…"
        )}
      </p>
      <div className="actions">
        {state.phase === "paused" ? (
          <button type="button" className="button" onClick={onResume}>
            Resume
          </button>
        ) : (
          <button type="button" className="button secondary" onClick={onPause}>
            Pause
          </button>
        )}
        <button type="button" className="button danger" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
