"use client";

import { type InfiniteData, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";
import type { VideoDto } from "@/lib/videos/dto";
import { invalidateCourseVideos, queryKeys } from "@/lib/query-keys";
import { useLeaveWarning } from "../use-leave-warning";

export type VideoPage = { data: VideoDto[]; nextCursor: string | null };
export type Changes = { title?: string; description?: string | null; tags?: string[] };
export type Conflict = { videoId: string; current: VideoDto; changes: Changes; message: string };
export type SaveState = "idle" | "saving" | "saved";

/** PATCH with an optimistic update; an error rolls back, a 409 keeps the newer video and offers to re-apply. */
export function useVideoMutations(courseId: string) {
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState<Conflict>();
  const [error, setError] = useState<string>();
  const key = queryKeys.videos(courseId);

  // A video shows in the course's lists and on its own page: both caches change together.
  const replace = (video: Pick<VideoDto, "id"> & Partial<VideoDto>) => {
    queryClient.setQueriesData<InfiniteData<VideoPage>>({ queryKey: key }, (data) =>
      data
        ? { ...data, pages: data.pages.map((page) => ({ ...page, data: page.data.map((item) => (item.id === video.id ? { ...item, ...video } : item)) })) }
        : data,
    );
    queryClient.setQueryData<VideoDto>(queryKeys.video(video.id), (old) => (old ? { ...old, ...video } : old));
  };

  const update = useMutation({
    mutationFn: ({ video, changes }: { video: VideoDto; changes: Changes }) =>
      fetcher<{ data: VideoDto }>(`/api/v1/education/videos/${video.id}`, {
        method: "PATCH",
        body: JSON.stringify({ ...changes, version: video.version }),
      }),
    onMutate: async ({ video, changes }) => {
      setError(undefined);
      setConflict(undefined);
      await queryClient.cancelQueries({ queryKey: key });
      await queryClient.cancelQueries({ queryKey: queryKeys.video(video.id) });
      const snapshot = [...queryClient.getQueriesData({ queryKey: key }), ...queryClient.getQueriesData({ queryKey: queryKeys.video(video.id) })];
      replace({
        id: video.id,
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.tags !== undefined ? { metadata: { ...video.metadata, tags: changes.tags } } : {}),
      });
      return { snapshot };
    },
    onError: (failure, { video, changes }, context) => {
      for (const [queryKey, data] of context?.snapshot ?? []) queryClient.setQueryData(queryKey, data);
      const current = failure instanceof AppError && failure.status === 409 ? (failure.details as { current?: VideoDto } | undefined)?.current : undefined;
      if (current) {
        replace(current);
        setConflict({ videoId: video.id, current, changes, message: "Someone else changed this video meanwhile; you now see their version." });
      } else {
        setError(`Your change to “${video.title}” was not saved: ${failure.message}`);
      }
    },
    onSuccess: ({ data }) => {
      replace(data);
      // A new title or lesson shows in the lessons panel too.
      void queryClient.invalidateQueries({ queryKey: queryKeys.lessons(courseId) });
    },
  });

  // Leaving the page while an edit is on its way would drop it: the browser asks first.
  const saving = update.isPending;
  useLeaveWarning(saving);
  const saveState: SaveState = saving ? "saving" : update.isSuccess ? "saved" : "idle";

  const remove = useMutation({
    mutationFn: (video: VideoDto) => fetcher<void>(`/api/v1/education/videos/${video.id}`, { method: "DELETE" }),
    onError: (failure, video) => setError(`“${video.title}” was not deleted: ${failure.message}`),
    onSettled: () => invalidateCourseVideos(queryClient, courseId),
  });

  const reprocess = useMutation({
    mutationFn: (video: VideoDto) => fetcher<{ data: VideoDto }>(`/api/v1/education/videos/${video.id}/reprocess`, { method: "POST" }),
    onMutate: () => setError(undefined),
    onError: (failure, video) => setError(`“${video.title}” was not queued for processing: ${failure.message}`),
    onSuccess: ({ data }) => replace(data),
  });

  const confirmRemove = (video: VideoDto, then?: () => void) => {
    if (window.confirm(`Delete “${video.title}”? This cannot be undone.`)) remove.mutate(video, { onSuccess: then });
  };

  return {
    save: (video: VideoDto, changes: Changes) => update.mutate({ video, changes }),
    reapply: () => conflict && update.mutate({ video: conflict.current, changes: conflict.changes }),
    remove: confirmRemove,
    reprocess: (video: VideoDto) => reprocess.mutate(video),
    reprocessing: reprocess.isPending,
    saveState,
    conflict,
    error,
    dismiss: () => {
      setConflict(undefined);
      setError(undefined);
    },
  };
}
