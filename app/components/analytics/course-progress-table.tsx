"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatUtc } from "@/app/components/tokens/format-time";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import type { CourseProgress } from "@/lib/watch/schemas";
import { percent } from "./retention";
import { nextOrder, type ProgressColumn, sameColumn, type SortOrder, sortLearners } from "./sort-progress";

type Props = { courseId: string; initial: CourseProgress };

/** The course's learners × its videos: each one's share watched and completion, sortable by any column. */
export function CourseProgressTable({ courseId, initial }: Props) {
  const { data } = useQuery({
    queryKey: queryKeys.courseProgress(courseId),
    queryFn: () => fetcher<{ data: CourseProgress }>(`/api/v1/education/courses/${courseId}/progress`).then((body) => body.data),
    initialData: initial,
  });
  const [order, setOrder] = useState<SortOrder>({ column: { kind: "learner" }, direction: "ascending" });
  const learners = sortLearners(data.learners, order);

  const header = (column: ProgressColumn, label: string, key: string) => {
    const sorted = sameColumn(order.column, column);
    return (
      <th scope="col" key={key} aria-sort={sorted ? order.direction : "none"}>
        <button type="button" className="sort-button" onClick={() => setOrder(nextOrder(order, column))}>
          {label}
          <span aria-hidden="true">{sorted ? (order.direction === "ascending" ? " ▲" : " ▼") : ""}</span>
        </button>
      </th>
    );
  };

  if (data.learners.length === 0) return <p className="muted">This course has no learners yet: invite some from Members and invitations.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table progress-table">
        <caption className="visually-hidden">Learners&apos; progress</caption>
        <thead>
          <tr>
            {header({ kind: "learner" }, "Learner", "learner")}
            {header({ kind: "completed" }, "Videos completed", "completed")}
            {header({ kind: "average" }, "Average watched", "average")}
            {header({ kind: "lastWatched" }, "Last watched", "last")}
            {data.videos.map((video) => header({ kind: "video", videoId: video.id }, video.title, video.id))}
          </tr>
        </thead>
        <tbody>
          {learners.map((learner) => (
            <tr key={learner.userId}>
              <th scope="row">
                {learner.name ?? learner.email}
                {learner.name ? <span className="muted"> {learner.email}</span> : null}
              </th>
              <td>
                {learner.completedCount} of {data.videos.length}
              </td>
              <td>{percent(learner.averageShareWatched)}</td>
              <td>{learner.lastWatchedAt ? formatUtc(learner.lastWatchedAt) : "Never"}</td>
              {data.videos.map((video) => {
                const cell = learner.videos.find((entry) => entry.videoId === video.id);
                return <td key={video.id}>{cell ? `${percent(cell.watchedShare)}${cell.completed ? " · completed" : ""}` : "0%"}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
