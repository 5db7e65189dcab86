"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import {
  blobSource,
  browserConnectivity,
  createUpload,
  createUploadApi,
  type UploadedVideo,
  UploadError,
  type UploadHandle,
  type UploadProgress,
  type VideoMetadata,
} from "@/lib/upload-client";
import { forgetPendingUpload, rememberPendingUpload } from "./pending-uploads";
import { invalidateCourseVideos } from "@/lib/query-keys";
import { useLeaveWarning } from "../use-leave-warning";

export type UploadState =
  | { phase: "idle" }
  | { phase: "uploading" | "paused"; progress?: UploadProgress; resumedParts: number; offline: boolean }
  | { phase: "done"; video: UploadedVideo }
  | { phase: "failed"; message: string }
  | { phase: "cancelled" };

// Read lazily (this module is also rendered on the server): while offline, uploads wait instead of failing.
export const connectivity = browserConnectivity();
const api = createUploadApi({ baseUrl: "", connectivity });
/** The browser's upload API client (same origin, cookies), shared by single, batch and replacement uploads. */
export const uploadApi = api;

/** React's way into lib/upload-client: one upload at a time, with pause, resume, cancel and reload-safe resume. */
export function useUpload({ courseId }: { courseId: string }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const handle = useRef<UploadHandle | undefined>(undefined);

  const start = useCallback(
    (input: { file: File; lessonId?: string; metadata: VideoMetadata } | { file: File; resumeVideoId: string; title: string }) => {
      const { file } = input;
      setState({ phase: "uploading", resumedParts: 0, offline: false });
      const upload = createUpload({
        api,
        source: blobSource(file),
        ...("resumeVideoId" in input
          ? { resume: { videoId: input.resumeVideoId } }
          : { init: { courseId, lessonId: input.lessonId, metadata: input.metadata } }),
        onStart: (started) => {
          rememberPendingUpload({
            courseId,
            videoId: started.videoId,
            name: file.name,
            size: file.size,
            lastModified: file.lastModified,
            title: "metadata" in input ? input.metadata.title : input.title,
          });
          setState((current) => (current.phase === "uploading" ? { ...current, resumedParts: started.partsStored } : current));
          void invalidateCourseVideos(queryClient, courseId);
        },
        connectivity,
        onConnectionChange: (online) =>
          setState((current) => (current.phase === "uploading" || current.phase === "paused" ? { ...current, offline: !online } : current)),
        onProgress: (progress) => setState((current) => (current.phase === "uploading" || current.phase === "paused" ? { ...current, progress } : current)),
      });
      handle.current = upload;
      upload.done.then(
        (video) => {
          forgetPendingUpload(video.id);
          setState({ phase: "done", video });
          void invalidateCourseVideos(queryClient, courseId);
        },
        (error: unknown) => {
          if (error instanceof UploadError && error.code === "cancelled") return setState({ phase: "cancelled" });
          setState({ phase: "failed", message: error instanceof Error ? error.message : "The upload failed." });
        },
      );
    },
    [courseId, queryClient],
  );

  const pause = useCallback(() => {
    handle.current?.pause();
    setState((current) => (current.phase === "uploading" ? { ...current, phase: "paused" } : current));
  }, []);

  const resume = useCallback(() => {
    handle.current?.resume();
    setState((current) => (current.phase === "paused" ? { ...current, phase: "uploading" } : current));
  }, []);

  const cancel = useCallback(async () => {
    const videoId = handle.current?.videoId;
    await handle.current?.cancel();
    if (videoId) forgetPendingUpload(videoId);
    setState({ phase: "cancelled" });
    void invalidateCourseVideos(queryClient, courseId);
  }, [courseId, queryClient]);

  const reset = useCallback(() => {
    handle.current = undefined;
    setState({ phase: "idle" });
  }, []);

  // Leaving the page mid-upload asks first (the upload could be resumed, but the user should choose).
  const active = state.phase === "uploading" || state.phase === "paused";
  useLeaveWarning(active);

  return { state, start, pause, resume, cancel, reset };
}

/** Aborts a remembered upload the user no longer wants. */
export async function discardPendingUpload(videoId: string) {
  await api.abort({ videoId }).catch(() => {});
  forgetPendingUpload(videoId);
}
