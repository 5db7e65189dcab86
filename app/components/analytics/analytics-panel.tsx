"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { formatDuration } from "@/app/components/upload/format";
import type { ChaptersDto } from "@/lib/captions/chapters";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import type { VideoAnalytics } from "@/lib/watch/schemas";
import { percent } from "./retention";
import { RetentionChart } from "./retention-chart";

type Props = { videoId: string; initial: VideoAnalytics };
type Range = { from: string; to: string };

const ALL_TIME: Range = { from: "", to: "" };

function analyticsUrl(videoId: string, { from, to }: Range): string {
  const query = new URLSearchParams();
  if (from) query.set("from", from);
  if (to) query.set("to", to);
  const search = query.toString();
  return `/api/v1/education/videos/${videoId}/analytics${search ? `?${search}` : ""}`;
}

/**
 * A video's audience for its owners and instructors: views, unique viewers, watch time, average share watched and
 * completion rate among the course's learners, over a date range, and the retention curve with chapter marks.
 */
export function AnalyticsPanel({ videoId, initial }: Props) {
  const id = useId();
  const [range, setRange] = useState<Range>(ALL_TIME);
  const [draft, setDraft] = useState<Range>(ALL_TIME);
  const isInitialRange = range.from === "" && range.to === "";
  const analytics = useQuery({
    queryKey: queryKeys.videoAnalytics({ videoId, ...range }),
    queryFn: () => fetcher<{ data: VideoAnalytics }>(analyticsUrl(videoId, range)).then((body) => body.data),
    initialData: isInitialRange ? initial : undefined,
    placeholderData: keepPreviousData,
  });
  const { data: chapters } = useQuery({
    queryKey: queryKeys.chapters(videoId),
    queryFn: () => fetcher<{ data: ChaptersDto }>(`/api/v1/education/videos/${videoId}/chapters`).then((body) => body.data),
  });
  // After a refusal (a range that cannot be), the previous figures are not shown as if they were this range's.
  const data = analytics.isError ? undefined : analytics.data;
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setRange(draft);
  };
  const error = analytics.error instanceof AppError ? analytics.error.message : analytics.error ? "The figures could not be loaded." : undefined;

  return (
    <section className="card stack" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Analytics</h2>
      <form className="analytics-range" onSubmit={apply} aria-label="Date range">
        <label className="field">
          <span>From</span>
          <input type="date" value={draft.from} max={draft.to || undefined} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
        </label>
        <label className="field">
          <span>To</span>
          <input type="date" value={draft.to} min={draft.from || undefined} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
        </label>
        <button type="submit" className="button secondary">
          Show
        </button>
        <button
          type="button"
          className="button link"
          onClick={() => {
            setDraft(ALL_TIME);
            setRange(ALL_TIME);
          }}
        >
          All time
        </button>
      </form>
      <p className="muted" aria-live="polite">
        {analytics.isFetching ? "Loading…" : isInitialRange ? "All time, among the course's learners." : `${range.from || "The start"} to ${range.to || "today"}, among the course's learners.`}
      </p>
      {error ? (
        <p role="alert" className="alert">
          {error}
        </p>
      ) : null}
      {data ? (
        <>
          <dl className="figures">
            <div>
              <dt>Views</dt>
              <dd>{data.views}</dd>
            </div>
            <div>
              <dt>Unique viewers</dt>
              <dd>{data.uniqueViewers}</dd>
            </div>
            <div>
              <dt>Total watch time</dt>
              <dd>{formatDuration(data.watchSeconds)}</dd>
            </div>
            <div>
              <dt>Average share watched</dt>
              <dd>{percent(data.averageShareWatched)}</dd>
            </div>
            <div>
              <dt>Completion rate</dt>
              <dd>{percent(data.completionRate)}</dd>
            </div>
          </dl>
          {data.uniqueViewers > 0 && data.durationSeconds ? (
            <RetentionChart retention={data.retention} durationSeconds={data.durationSeconds} chapters={chapters?.chapters ?? []} />
          ) : (
            <p className="muted">No learner has watched this video{isInitialRange ? " yet" : " in this period"}: the retention curve appears once someone has.</p>
          )}
        </>
      ) : null}
    </section>
  );
}
