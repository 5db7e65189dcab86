import "server-only";
import { selectVideoAudience } from "@/db/queries/watch-progress";
import { selectVideoSessionTotals } from "@/db/queries/watch-sessions";
import { AppError } from "@/lib/errors";
import { type Actor, authorize, loadVideo } from "@/lib/videos/access";
import { type AnalyticsQuery, RETENTION_BUCKETS, type VideoAnalytics } from "./schemas";

/** `from`/`to` as instants: a date alone is that whole day in UTC (`to` inclusive), a datetime that instant. */
export function analyticsWindow(query: AnalyticsQuery): { from?: Date; to?: Date } {
  const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
  const from = query.from === undefined ? undefined : new Date(isDate(query.from) ? `${query.from}T00:00:00Z` : query.from);
  const to = query.to === undefined ? undefined : isDate(query.to) ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000) : new Date(query.to);
  if (from && to && from >= to) throw AppError.validation("`from` must be before `to`.", { fieldErrors: { from: ["must be before `to`."] } });
  return { from, to };
}

/**
 * `GET /videos/:id/analytics` (owners, instructors): the video's audience among the course's learners (viewer
 * role; staff's own watching is left out). Views and watch time count sessions started in the window; viewers are
 * learners with such a session, and their share, completion and retention are their whole record on the video.
 * Two aggregate queries over rows kept up to date at ingest.
 */
export async function getVideoAnalytics({ actor, videoId, query }: { actor: Actor; videoId: string; query: AnalyticsQuery }): Promise<VideoAnalytics> {
  const { video, role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "viewAnalytics" });
  const window = analyticsWindow(query);
  const durationSeconds = video.durationSeconds;
  const [sessions, audience] = await Promise.all([
    selectVideoSessionTotals({ videoId: video.id, ...window }),
    durationSeconds ? selectVideoAudience({ videoId: video.id, durationSeconds, ...window }) : undefined,
  ]);
  const viewers = audience?.viewers ?? 0;
  const share = (count: number) => (viewers === 0 ? 0 : Math.min(1, count / viewers));
  return {
    videoId: video.id,
    from: window.from?.toISOString() ?? null,
    to: window.to?.toISOString() ?? null,
    durationSeconds,
    views: sessions.views,
    uniqueViewers: viewers,
    watchSeconds: sessions.watchSeconds,
    averageShareWatched: share(audience?.shareSum ?? 0),
    completionRate: share(audience?.completed ?? 0),
    retention: Array.from({ length: RETENTION_BUCKETS }, (_, bucket) => share(audience?.retention[bucket] ?? 0)),
  };
}
