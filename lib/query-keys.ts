import type { QueryClient } from "@tanstack/react-query";

/**
 * Every react-query key of the app. `videos(courseId)` is the prefix of all of a course's list queries (any
 * filter), so invalidating it refreshes each of them.
 */
export const queryKeys = {
  videos: (courseId: string) => ["videos", courseId] as const,
  videoList: ({ courseId, lessonId, status }: { courseId: string; lessonId: string; status: string }) => ["videos", courseId, { lessonId, status }] as const,
  video: (videoId: string) => ["video", videoId] as const,
  captions: (videoId: string) => ["captions", videoId] as const,
  chapters: (videoId: string) => ["chapters", videoId] as const,
  captionTrack: ({ videoId, language, version }: { videoId: string; language: string; version: number }) => ["captions", videoId, language, version] as const,
  /** A track's WebVTT and its metadata as the caption editor loads them (under `captions(videoId)`, so saves refresh it). */
  captionSource: ({ videoId, language }: { videoId: string; language: string }) => ["captions", videoId, language, "source"] as const,
  apiTokens: () => ["api-tokens"] as const,
  members: (courseId: string) => ["members", courseId] as const,
  invitations: (courseId: string) => ["invitations", courseId] as const,
  lessons: (courseId: string) => ["lessons", courseId] as const,
  courseSearch: ({ courseId, q }: { courseId: string; q: string }) => ["course-search", courseId, q] as const,
  accessibility: (courseId: string) => ["accessibility", courseId] as const,
  /** A video's audience figures for staff, per date range (empty strings: no bound). */
  videoAnalytics: ({ videoId, from, to }: { videoId: string; from: string; to: string }) => ["video-analytics", videoId, { from, to }] as const,
  courseProgress: (courseId: string) => ["course-progress", courseId] as const,
  /** The caller's own progress on a video (refreshed after each saved watch batch). */
  watchProgress: (videoId: string) => ["watch-progress", videoId] as const,
  /** Where a video opened for the caller: read once per opening, never refreshed by the batches it saves. */
  resumePoint: (videoId: string) => ["resume-point", videoId] as const,
};

/**
 * After a course's videos change (an upload started or finished, an edit, a delete, a replacement): refreshes its
 * video lists and its lessons' video lists alike.
 */
export function invalidateCourseVideos(queryClient: QueryClient, courseId: string): Promise<unknown> {
  return Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.videos(courseId) }), queryClient.invalidateQueries({ queryKey: queryKeys.lessons(courseId) })]);
}
