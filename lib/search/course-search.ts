import "server-only";
import { HIT_END, HIT_START, searchCourseVideos, searchCueHits } from "@/db/queries/course-search";
import { type Actor, loadCourseAccess } from "@/lib/videos/access";
import { visibleStatuses } from "@/lib/videos/policy";
import type { CourseSearchQuery, CourseSearchResult, HighlightedText } from "./schemas";

const CUES_PER_VIDEO = 5;

/**
 * `ts_headline` output (matches between HIT_START and HIT_END) as highlighted text; matched words with only spaces
 * between them (a phrase) become one piece.
 */
export function highlighted(headline: string): HighlightedText {
  const pieces = headline
    .split(new RegExp(`[${HIT_START}${HIT_END}]`))
    .map((text, index) => ({ text, match: index % 2 === 1 }))
    .filter((piece) => piece.text !== "");
  const parts: HighlightedText = [];
  for (const [index, piece] of pieces.entries()) {
    const previous = parts.at(-1);
    const betweenMatches = !piece.match && /^\s+$/.test(piece.text) && previous?.match === true && pieces[index + 1]?.match === true;
    if (previous?.match && (piece.match || betweenMatches)) previous.text += piece.text;
    else parts.push({ ...piece });
  }
  return parts;
}

/**
 * Whether the last word is a plain word the user may still be typing, so it also matches as a prefix: not inside a
 * quoted phrase and not excluded (`-word`).
 */
export function prefixesLastWord(q: string): boolean {
  const quotes = (q.match(/"/g) ?? []).length;
  const last = q.trim().split(/\s+/).at(-1) ?? "";
  return quotes % 2 === 0 && /[\p{L}\p{N}]$/u.test(last) && !last.startsWith("-") && !last.includes('"');
}

/** Any member searches the course (viewers among its ready videos only); strangers get the course's 404. */
export async function searchCourse({ actor, courseId, query }: { actor: Actor; courseId: string; query: CourseSearchQuery }): Promise<CourseSearchResult> {
  const { role } = await loadCourseAccess({ actor, courseId });
  const prefixLast = prefixesLastWord(query.q);
  const rows = await searchCourseVideos({ courseId, q: query.q, prefixLast, statuses: visibleStatuses(role), limit: query.limit, offset: query.offset });
  const page = rows.slice(0, query.limit);
  const cues = await searchCueHits({ videoIds: page.filter((row) => row.cueMatches > 0).map((row) => row.id), q: query.q, prefixLast, perVideo: CUES_PER_VIDEO });
  return {
    data: page.map((row) => ({
      video: { id: row.id, title: row.title, status: row.status, durationSeconds: row.durationSeconds, thumbnailUrl: row.thumbnailUrl },
      rank: row.rank,
      title: highlighted(row.titleHeadline),
      description: row.descriptionHeadline ? highlighted(row.descriptionHeadline) : null,
      matchedDetails: row.matchedFields,
      cueMatches: row.cueMatches,
      cues: cues
        .filter((cue) => cue.videoId === row.id)
        .map((cue) => ({ language: cue.language, startSeconds: cue.startSeconds, endSeconds: cue.endSeconds, text: highlighted(cue.headline) })),
    })),
    nextOffset: rows.length > query.limit ? query.offset + query.limit : null,
  };
}
