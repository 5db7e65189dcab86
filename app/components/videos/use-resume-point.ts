"use client";

import { useQuery } from "@tanstack/react-query";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import type { VideoProgress } from "@/lib/watch/schemas";

/** Closer to the start or the end than this, a video opens at the start. */
const RESUME_MARGIN_SECONDS = 5;

/** Where the viewer stopped last time, on any device (the server keeps it), or undefined: start at the beginning. */
export function resumePosition(progress: Pick<VideoProgress, "position" | "durationSeconds"> | undefined): number | undefined {
  const position = progress?.position;
  if (position === null || position === undefined || position < RESUME_MARGIN_SECONDS) return undefined;
  if (progress?.durationSeconds && position > progress.durationSeconds - RESUME_MARGIN_SECONDS) return undefined;
  return position;
}

/**
 * The resume point, read once when the video opens (the player starts there); `pending` until the server answered.
 * A failed read starts at the beginning. With `skip` (the page names its own start) nothing is read.
 */
export function useResumePoint({ videoId, skip }: { videoId: string; skip: boolean }) {
  const query = useQuery({
    queryKey: queryKeys.resumePoint(videoId),
    queryFn: () => fetcher<{ data: VideoProgress }>(`/api/v1/education/videos/${videoId}/progress`).then((body) => body.data),
    enabled: !skip,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  return { pending: !skip && query.isPending, at: skip ? undefined : resumePosition(query.data) };
}
