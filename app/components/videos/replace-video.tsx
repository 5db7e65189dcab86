"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { blobSource, createUpload, UploadError, type UploadHandle, type UploadProgress } from "@/lib/upload-client";
import { formatBytes } from "@/lib/format-bytes";
import { invalidateCourseVideos, queryKeys } from "@/lib/query-keys";
import type { VideoDto } from "@/lib/videos/dto";
import { ACCEPTED_VIDEO_TYPES } from "@/lib/videos/schemas";
import { ProgressBar } from "../progress-bar";
import { connectivity, uploadApi } from "../upload/use-upload";
import { useLeaveWarning } from "../use-leave-warning";

type State =
  | { phase: "idle" }
  | { phase: "choosing" }
  | { phase: "uploading"; name: string; progress?: UploadProgress }
  | { phase: "failed"; message: string };

const percentOf = (progress?: UploadProgress) =>
  progress ? Math.floor((100 * Math.min(progress.totalBytes, progress.bytesDone + progress.bytesSending)) / Math.max(1, progress.totalBytes)) : 0;

/**
 * "Replace video": a new source for this video (a re-recorded lecture). The file goes straight to storage like any
 * upload; the current version keeps playing, for everyone, until the new one is processed. An unfinished
 * replacement continues when the same file is chosen again.
 */
export function ReplaceVideo({ video }: { video: VideoDto }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>({ phase: "idle" });
  const handle = useRef<UploadHandle | undefined>(undefined);
  const replacement = video.replacement;
  const unfinished = replacement?.status === "uploading" ? replacement : undefined;
  const replaceable = (video.playback.watchable || video.status === "failed") && video.processing.stage === null;
  useLeaveWarning(state.phase === "uploading");

  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.video(video.id) });

  const choose = (file: File | undefined) => {
    if (!file) return;
    if (!(ACCEPTED_VIDEO_TYPES as readonly string[]).includes(file.type)) {
      return setState({ phase: "failed", message: `“${file.name}” is not a video we accept. Choose an MP4, WebM, MOV or AVI file.` });
    }
    // The same file as the unfinished replacement continues it; another file starts afresh once that one is aborted.
    const resumes = unfinished && unfinished.originalFilename === file.name && unfinished.fileSizeBytes === file.size;
    setState({ phase: "uploading", name: file.name });
    const start = async () => {
      if (unfinished && !resumes) await uploadApi.abort({ videoId: video.id });
      const upload = createUpload({
        api: uploadApi,
        source: blobSource(file),
        ...(resumes ? { resume: { videoId: video.id } } : { replace: { videoId: video.id } }),
        connectivity,
        onStart: () => void refresh(),
        onProgress: (progress) => setState((current) => (current.phase === "uploading" ? { ...current, progress } : current)),
      });
      handle.current = upload;
      return upload.done;
    };
    start().then(
      () => {
        handle.current = undefined;
        setState({ phase: "idle" });
        void refresh();
        void invalidateCourseVideos(queryClient, video.courseId);
      },
      (error: unknown) => {
        handle.current = undefined;
        void refresh();
        if (error instanceof UploadError && error.code === "cancelled") return setState({ phase: "idle" });
        setState({ phase: "failed", message: error instanceof Error ? error.message : "The upload failed." });
      },
    );
  };

  const cancel = async () => {
    if (handle.current) await handle.current.cancel();
    else if (unfinished) await uploadApi.abort({ videoId: video.id }).catch(() => {});
    setState({ phase: "idle" });
    void refresh();
  };

  return (
    <section className="card stack" aria-label="Replace video">
      {replacement?.status === "failed" ? (
        <p role="alert" className="alert">
          The replacement “{replacement.originalFilename}” failed: {replacement.error ?? "it could not be processed."} The previous version still plays.
        </p>
      ) : null}
      {replacement?.status === "aborted" && state.phase === "idle" ? (
        <p className="muted">The replacement “{replacement.originalFilename}” was cancelled; the previous version still plays.</p>
      ) : null}
      {state.phase === "uploading" ? (
        <div className="stack">
          <p>
            Uploading the new version <strong>{state.name}</strong>: the current one keeps playing meanwhile.
          </p>
          <ProgressBar label="Replacement upload progress" percent={percentOf(state.progress)} />
          <p className="muted" aria-live="polite">
            {state.progress ? `${formatBytes(state.progress.bytesDone)} of ${formatBytes(state.progress.totalBytes)}` : "Starting…"}
          </p>
          <div className="actions">
            <button type="button" className="button danger" onClick={() => void cancel()}>
              Cancel replacement
            </button>
          </div>
        </div>
      ) : state.phase === "choosing" || unfinished ? (
        <div className="stack">
          {unfinished ? (
            <p className="hint">
              The replacement “{unfinished.originalFilename}” ({formatBytes(unfinished.fileSizeBytes)}) is unfinished: choose the same file to continue where it
              stopped, or cancel it.
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="replacement-file">Replacement file</label>
            <input id="replacement-file" type="file" accept={ACCEPTED_VIDEO_TYPES.join(",")} onChange={(event) => choose(event.target.files?.[0])} />
          </div>
          <div className="actions">
            <button type="button" className="button link" onClick={() => void (unfinished ? cancel() : setState({ phase: "idle" }))}>
              {unfinished ? "Cancel replacement" : "Never mind"}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" className="button secondary" disabled={!replaceable} onClick={() => setState({ phase: "choosing" })}>
            Replace video
          </button>
          {!replaceable ? (
            <span className="muted">
              {video.playback.improving ? "A video can be replaced once its quality is final (Ready)." : "A video can be replaced once it is processed."}
            </span>
          ) : null}
        </div>
      )}
      {state.phase === "failed" ? (
        <p role="alert" className="alert">
          The replacement stopped: {state.message} Choose the same file again to continue.
        </p>
      ) : null}
    </section>
  );
}
