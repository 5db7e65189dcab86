"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useId, useState } from "react";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import { type CourseSearchResult, MAX_SEARCH_QUERY } from "@/lib/search/schemas";
import { formatDuration } from "../upload/format";
import { HighlightedText } from "./highlighted-text";

/** The course page's search: titles, tags, descriptions and captions; a caption hit opens the video at its moment. */
export function CourseSearch({ courseId }: { courseId: string }) {
  const inputId = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const search = useQuery({
    queryKey: queryKeys.courseSearch({ courseId, q }),
    queryFn: () => fetcher<CourseSearchResult>(`/api/v1/education/courses/${courseId}/search?q=${encodeURIComponent(q)}`),
    enabled: q !== "",
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQ(text.trim());
  };
  const videoHref = (videoId: string) => `/courses/${courseId}/videos/${videoId}`;
  return (
    <section className="card stack" aria-labelledby="course-search-heading">
      <h2 id="course-search-heading">Search this course</h2>
      <form role="search" className="search-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={inputId}>Search videos and captions</label>
          <input id={inputId} type="search" value={text} maxLength={MAX_SEARCH_QUERY} onChange={(event) => setText(event.target.value)} />
        </div>
        <button type="submit" disabled={text.trim() === ""}>
          Search
        </button>
      </form>
      {q === "" ? null : search.isPending ? (
        <p role="status">Searching…</p>
      ) : search.isError ? (
        <p role="alert" className="error">
          {search.error.message}
        </p>
      ) : search.data.data.length === 0 ? (
        <p role="status">Nothing in this course matches “{q}”.</p>
      ) : (
        <ol className="search-results" aria-label={`Results for ${q}`}>
          {search.data.data.map((hit) => (
            <li key={hit.video.id}>
              <Link href={videoHref(hit.video.id)} className="search-result-title">
                <HighlightedText pieces={hit.title} />
              </Link>
              {hit.description ? (
                <p className="muted">
                  <HighlightedText pieces={hit.description} />
                </p>
              ) : null}
              {hit.cues.length > 0 ? (
                <ul className="search-moments" aria-label={`Moments in ${hit.video.title}`}>
                  {hit.cues.map((cue) => (
                    <li key={`${cue.language}-${cue.startSeconds}`}>
                      <Link href={`${videoHref(hit.video.id)}?t=${cue.startSeconds}`}>
                        <span className="search-moment-time">{formatDuration(cue.startSeconds)}</span> <HighlightedText pieces={cue.text} />
                      </Link>
                    </li>
                  ))}
                  {hit.cueMatches > hit.cues.length ? <li className="muted">and {hit.cueMatches - hit.cues.length} more in the captions</li> : null}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
