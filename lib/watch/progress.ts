import "server-only";
import { type ProgressRow, selectProgress, selectProgressForVideos, selectUnfinishedProgress } from "@/db/queries/watch-progress";
import { type Actor, authorize, loadVideo } from "@/lib/videos/access";
import { watchedShare } from "./intervals";
import type { VideoProgress } from "./schemas";

export function toProgressDto({ videoId, row, durationSeconds }: { videoId: string; row: ProgressRow | undefined; durationSeconds: number | null }): VideoProgress {
  const watchedSeconds = row?.watchedSeconds ?? 0;
  return {
    videoId,
    position: row?.position ?? null,
    watchedSeconds,
    durationSeconds,
    watchedShare: watchedShare(watchedSeconds, durationSeconds),
    completed: Boolean(row?.completedAt),
    completedAt: row?.completedAt?.toISOString() ?? null,
    lastWatchedAt: row?.lastWatchedAt.toISOString() ?? null,
  };
}

/** `GET /videos/:id/progress`: the caller's own progress (members only: strangers get 404 from loadVideo). */
export async function getVideoProgress({ actor, videoId }: { actor: Actor; videoId: string }): Promise<VideoProgress> {
  const { video, role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "watch" });
  return toProgressDto({ videoId: video.id, row: await selectProgress({ videoId: video.id, userId: actor.id }), durationSeconds: video.durationSeconds });
}

/**
 * For server components (the course page): one learner's progress on many videos at once, one query. The caller
 * has already loaded these videos for that user (their access checked), so it passes their durations; videos never
 * watched get a zero entry. Keyed by video id.
 */
export async function progressForVideos({
  userId,
  videos,
}: {
  userId: string;
  videos: readonly { id: string; durationSeconds: number | null }[];
}): Promise<Map<string, VideoProgress>> {
  const rows = new Map((await selectProgressForVideos({ userId, videoIds: videos.map((video) => video.id) })).map((row) => [row.videoId, row]));
  return new Map(videos.map((video) => [video.id, toProgressDto({ videoId: video.id, row: rows.get(video.id), durationSeconds: video.durationSeconds })]));
}

/**
 * For server components: the learner's "continue watching" candidates in a course (watched, not completed, still
 * watchable), most recent first, with their resume positions. The caller checked membership.
 */
export async function unfinishedVideos({ userId, courseId, limit = 5 }: { userId: string; courseId: string; limit?: number }) {
  return (await selectUnfinishedProgress({ userId, courseId, limit })).map((row) => ({ videoId: row.videoId, position: row.position, lastWatchedAt: row.lastWatchedAt.toISOString() }));
}
