import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { type VideoStatus, videos, videoSearchDocument } from "@/db/schema";

/** Marks around the matched words in `ts_headline` output: private-use characters, never in real text. */
export const HIT_START = "\uE000";
export const HIT_END = "\uE001";
const HEADLINE_OPTIONS = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=18, MinWords=6, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * The user's words as a tsquery in the `simple` configuration (see db/schema.ts): websearch syntax (quotes for
 * phrases, `or`, `-word`), and with `prefixLast` the last word also matches as a prefix (`lect` finds `lecture`).
 */
function tsquery({ q, prefixLast }: { q: string; prefixLast: boolean }): SQL {
  return prefixLast
    ? sql`regexp_replace(websearch_to_tsquery('simple', ${q})::text, '''$', ''':*')::tsquery`
    : sql`websearch_to_tsquery('simple', ${q})`;
}

function visibleVideos({ courseId, statuses }: { courseId: string; statuses: readonly VideoStatus[] | undefined }): SQL {
  const status = statuses ? sql` and videos.status in (${sql.join(statuses.map((value) => sql`${value}`), sql`, `)})` : sql``;
  return sql`videos.course_id = ${courseId} and videos.deleted_at is null${status}`;
}

export type SearchVideoRow = {
  id: string;
  title: string;
  status: VideoStatus;
  durationSeconds: number | null;
  thumbnailUrl: string | null;
  rank: number;
  titleHeadline: string;
  descriptionHeadline: string | null;
  matchedFields: boolean;
  cueMatches: number;
};

/**
 * The course's videos whose title, tags, description or captions match, best first: a video's own words (title and
 * tags weigh most) plus the rank of every matching cue. Both sides are found through their GIN indexes; `limit + 1`
 * rows tell the caller whether there are more.
 */
export type CourseSearchInput = {
  courseId: string;
  q: string;
  prefixLast: boolean;
  statuses: readonly VideoStatus[] | undefined;
  limit: number;
  offset: number;
};

export function courseSearchSql({ courseId, q, prefixLast, statuses, limit, offset }: CourseSearchInput): SQL {
  const where = visibleVideos({ courseId, statuses });
  const document = videoSearchDocument(videos);
  const query = tsquery({ q, prefixLast });
  return sql`
    with video_hits as (
      select videos.id, ts_rank(${document}, ${query}) as rank
      from videos
      where ${document} @@ ${query} and ${where}
    ),
    cue_hits as (
      select c.video_id as id, sum(ts_rank(c.search_vector, ${query})) as rank, count(*)::int as matches
      from caption_cues c
      join videos on videos.id = c.video_id
      where c.search_vector @@ ${query} and ${where}
      group by c.video_id
    ),
    ranked as (
      select ids.id, coalesce(vh.rank, 0) + coalesce(ch.rank, 0) as rank, vh.id is not null as matched_fields, coalesce(ch.matches, 0) as cue_matches
      from (select id from video_hits union select id from cue_hits) ids
      left join video_hits vh on vh.id = ids.id
      left join cue_hits ch on ch.id = ids.id
      order by rank desc, ids.id
      limit ${limit + 1} offset ${offset}
    )
    select videos.id, videos.title, videos.status, videos.duration_seconds as "durationSeconds", videos.thumbnail_url as "thumbnailUrl", r.rank::float8 as rank,
      r.matched_fields as "matchedFields", r.cue_matches as "cueMatches",
      ts_headline('simple', videos.title, ${query}, ${`${HEADLINE_OPTIONS}, HighlightAll=true`}) as "titleHeadline",
      case when videos.description is not null and to_tsvector('simple', videos.description) @@ ${query}
        then ts_headline('simple', videos.description, ${query}, ${HEADLINE_OPTIONS}) end as "descriptionHeadline"
    from ranked r join videos on videos.id = r.id
    order by r.rank desc, r.id`;
}

export async function searchCourseVideos({ tx = db, ...input }: CourseSearchInput & { tx?: Executor }): Promise<SearchVideoRow[]> {
  return (await tx.execute(courseSearchSql(input))) as unknown as SearchVideoRow[];
}

export type SearchCueRow = { videoId: string; language: string; startSeconds: number; endSeconds: number; headline: string };

/** The best matching cues of the given videos (at most `perVideo` each), in time order. */
export async function searchCueHits({
  videoIds,
  q,
  prefixLast,
  perVideo,
  tx = db,
}: {
  videoIds: readonly string[];
  q: string;
  prefixLast: boolean;
  perVideo: number;
  tx?: Executor;
}): Promise<SearchCueRow[]> {
  if (videoIds.length === 0) return [];
  const query = tsquery({ q, prefixLast });
  const rows = await tx.execute<Record<string, unknown>>(sql`
    with hits as (
      select c.video_id, c.track_id, c.start_seconds, c.end_seconds, c.text,
        row_number() over (partition by c.video_id order by ts_rank(c.search_vector, ${query}) desc, c.start_seconds) as place
      from caption_cues c
      where c.video_id in (${sql.join(videoIds.map((id) => sql`${id}::uuid`), sql`, `)}) and c.search_vector @@ ${query}
    )
    select h.video_id as "videoId", t.language, h.start_seconds as "startSeconds", h.end_seconds as "endSeconds",
      ts_headline('simple', h.text, ${query}, ${`${HEADLINE_OPTIONS}, HighlightAll=true`}) as headline
    from hits h join caption_tracks t on t.id = h.track_id
    where h.place <= ${perVideo}
    order by h.video_id, h.start_seconds, t.language`);
  return rows as unknown as SearchCueRow[];
}

export type AccessibilityRow = {
  id: string;
  title: string;
  status: VideoStatus;
  durationSeconds: number | null;
  tracks: { language: string; label: string; origin: string; reviewed: boolean }[];
};

/** Every live video of the course (newest first) with its caption tracks' origin and review state. */
export async function selectCourseCaptionStates({ courseId, tx = db }: { courseId: string; tx?: Executor }): Promise<AccessibilityRow[]> {
  const rows = await tx.execute(sql`
    select videos.id, videos.title, videos.status, videos.duration_seconds as "durationSeconds",
      coalesce((select json_agg(json_build_object('language', t.language, 'label', t.label, 'origin', t.origin, 'reviewed', t.reviewed) order by t.language)
        from caption_tracks t where t.video_id = videos.id), '[]'::json) as tracks
    from videos
    where videos.course_id = ${courseId} and videos.deleted_at is null
    order by videos.created_at desc, videos.id desc`);
  return rows as unknown as AccessibilityRow[];
}
