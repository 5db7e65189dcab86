"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { blobSource, createUpload, UploadError, type UploadHandle, type UploadProgress, withInitsInOrder } from "@/lib/upload-client";
import { invalidateCourseVideos } from "@/lib/query-keys";
import { useLeaveWarning } from "../use-leave-warning";
import { forgetPendingUpload, rememberPendingUpload } from "./pending-uploads";
import { titleFromFilename } from "./format";
import { connectivity, discardPendingUpload, uploadApi } from "./use-upload";

/** How many files of a batch upload at once (each sends its parts four at a time). */
export const BATCH_CONCURRENCY = 2;

export type QueueStatus = "waiting" | "uploading" | "paused" | "failed" | "cancelled" | "done";

export type QueueItem = {
  key: string;
  file: File;
  title: string;
  lessonId: string;
  /** Set once the server knows the upload: a retry (or a reload) resumes it. */
  videoId?: string;
  status: QueueStatus;
  percent: number;
  resumedParts: number;
  offline: boolean;
  error?: string;
};

// Files of a batch start two at a time, but take their places in the lesson in queue order.
const queueApi = withInitsInOrder(uploadApi);

const percentOf = (progress: UploadProgress) =>
  Math.floor((100 * Math.min(progress.totalBytes, progress.bytesDone + progress.bytesSending)) / Math.max(1, progress.totalBytes));

/** Holds a slot: an item uploading, or paused mid-way (resuming it must not exceed the limit). */
const holdsSlot = (item: QueueItem) => item.status === "uploading" || item.status === "paused";

/**
 * Many uploads, `concurrency` at a time, the rest waiting in order. Each item has its own handle: pausing,
 * cancelling or a failure of one leaves the others going. Every started upload is remembered for resuming after a
 * reload, exactly as a single upload is.
 */
export function useUploadQueue({ courseId, concurrency = BATCH_CONCURRENCY }: { courseId: string; concurrency?: number }) {
  const queryClient = useQueryClient();
  const [items, setItems] = useState<QueueItem[]>([]);
  const [running, setRunning] = useState(false);
  const handles = useRef(new Map<string, UploadHandle>());
  /** Items whose upload is under way (uploading or paused): the slots in use, known at once, before any render. */
  const launched = useRef(new Set<string>());

  const patch = useCallback((key: string, change: Partial<QueueItem> | ((item: QueueItem) => Partial<QueueItem>)) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...(typeof change === "function" ? change(item) : change) } : item)));
  }, []);

  const add = useCallback((entries: { file: File; lessonId: string; resume?: { videoId: string; title: string } }[]) => {
    setItems((current) => [
      ...current,
      ...entries.map(({ file, lessonId, resume }) => ({
        key: `${file.name}:${file.size}:${file.lastModified}:${Math.random().toString(36).slice(2)}`,
        file,
        title: resume?.title ?? titleFromFilename(file.name),
        lessonId,
        videoId: resume?.videoId,
        status: "waiting" as const,
        percent: 0,
        resumedParts: 0,
        offline: false,
      })),
    ]);
  }, []);

  const launch = useCallback(
    (item: QueueItem) => {
      const { key, file } = item;
      const upload = createUpload({
        api: queueApi,
        source: blobSource(file),
        ...(item.videoId
          ? { resume: { videoId: item.videoId } }
          : { init: { courseId, lessonId: item.lessonId || undefined, metadata: { title: item.title } } }),
        connectivity,
        onStart: (started) => {
          rememberPendingUpload({ courseId, videoId: started.videoId, name: file.name, size: file.size, lastModified: file.lastModified, title: item.title });
          patch(key, { videoId: started.videoId, resumedParts: started.partsStored });
          void invalidateCourseVideos(queryClient, courseId);
        },
        onConnectionChange: (online) => patch(key, { offline: !online }),
        onProgress: (progress) => patch(key, { percent: percentOf(progress) }),
      });
      handles.current.set(key, upload);
      upload.done.then(
        (video) => {
          handles.current.delete(key);
          launched.current.delete(key);
          forgetPendingUpload(video.id);
          patch(key, { status: "done", percent: 100, videoId: video.id, error: undefined });
          void invalidateCourseVideos(queryClient, courseId);
        },
        (error: unknown) => {
          handles.current.delete(key);
          launched.current.delete(key);
          if (error instanceof UploadError && error.code === "cancelled") return patch(key, { status: "cancelled" });
          // A file that no longer matches its remembered upload starts afresh on retry.
          const restart = error instanceof UploadError && (error.code === "source_mismatch" || error.status === 404);
          patch(key, (current) => ({
            status: "failed",
            error: error instanceof Error ? error.message : "The upload failed.",
            videoId: restart ? undefined : current.videoId,
          }));
        },
      );
    },
    [courseId, patch, queryClient],
  );

  // The scheduler: whenever a slot is free, the next waiting item starts.
  useEffect(() => {
    if (!running) return;
    const free = Math.max(0, concurrency - launched.current.size);
    const next = items.filter((item) => item.status === "waiting" && !launched.current.has(item.key)).slice(0, free);
    if (next.length === 0) return;
    for (const item of next) launched.current.add(item.key);
    setItems((current) => current.map((item) => (next.some((started) => started.key === item.key) ? { ...item, status: "uploading", error: undefined } : item)));
    for (const item of next) launch(item);
  }, [items, running, concurrency, launch]);

  const start = useCallback(() => setRunning(true), []);
  /** Empties a settled queue (nothing may be under way). */
  const clear = useCallback(() => {
    if (launched.current.size > 0) return;
    setItems([]);
    setRunning(false);
  }, []);
  const edit = useCallback((key: string, change: Pick<Partial<QueueItem>, "title" | "lessonId">) => patch(key, change), [patch]);
  const retry = useCallback((key: string) => patch(key, { status: "waiting", error: undefined }), [patch]);
  const remove = useCallback((key: string) => setItems((current) => current.filter((item) => item.key !== key)), []);
  const pause = useCallback(
    (key: string) => {
      handles.current.get(key)?.pause();
      patch(key, (item) => (item.status === "uploading" ? { status: "paused" } : {}));
    },
    [patch],
  );
  const resume = useCallback(
    (key: string) => {
      handles.current.get(key)?.resume();
      patch(key, (item) => (item.status === "paused" ? { status: "uploading" } : {}));
    },
    [patch],
  );
  const cancel = useCallback(
    async ({ key, videoId: known }: Pick<QueueItem, "key" | "videoId">) => {
      const handle = handles.current.get(key);
      const videoId = handle?.videoId ?? known;
      if (handle) await handle.cancel();
      else {
        // Failed (or not yet restarted) with an upload on the server: abort that one too.
        patch(key, { status: "cancelled" });
        if (videoId) await discardPendingUpload(videoId);
      }
      if (videoId) forgetPendingUpload(videoId);
      void invalidateCourseVideos(queryClient, courseId);
    },
    [courseId, patch, queryClient],
  );

  useLeaveWarning(items.some(holdsSlot));

  return { items, running, add, start, clear, edit, retry, remove, pause, resume, cancel };
}
