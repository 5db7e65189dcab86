"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { CourseRole } from "@/db/schema";
import { fetcher } from "@/lib/fetcher";
import { formatBytes } from "@/lib/format-bytes";
import { canNow, visibleStatuses } from "@/lib/videos/policy";
import { formatDuration } from "../upload/format";
import { EditAlert } from "./edit-alert";
import { EditableDetails } from "./editable-details";
import { InlineText } from "./inline-text";
import { SaveStatus } from "./save-status";
import { useVideoMutations, type VideoPage } from "./use-video-mutations";

type Props = {
  courseId: string;
  role: CourseRole;
  /** An archived course is read-only: no edit or delete controls. */
  archived: boolean;
  lessons: { id: string; title: string }[];
  initialPage: VideoPage;
};

import { ProgressBar } from "../progress-bar";
import { isInFlight, STATUS_LABEL, statusText } from "./status-label";
import { queryKeys } from "@/lib/query-keys";

/** A course's videos: filters, live progress while any is in flight, inline editing for those allowed. */
export function VideoLibrary({ courseId, role, archived, lessons, initialPage }: Props) {
  const [lessonId, setLessonId] = useState("");
  const [status, setStatus] = useState("");
  const canEdit = canNow({ role, archived, action: "editMetadata" });
  const canDelete = canNow({ role, archived, action: "delete" });
  const seesEveryStatus = visibleStatuses(role) === undefined;
  const unfiltered = !lessonId && !status;

  const query = useInfiniteQuery({
    queryKey: queryKeys.videoList({ courseId, lessonId, status }),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: "20", ...(lessonId ? { lessonId } : {}), ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) });
      return fetcher<VideoPage>(`/api/v1/education/courses/${courseId}/videos?${params}`);
    },
    initialPageParam: "",
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    ...(unfiltered ? { initialData: { pages: [initialPage], pageParams: [""] } } : {}),
    // Poll only while something is uploading or processing (a playable video is still getting renditions).
    refetchInterval: (current) => (current.state.data?.pages.some((page) => page.data.some(isInFlight)) ? 2000 : false),
  });
  const { save, reapply, remove, saveState, conflict, error, dismiss } = useVideoMutations(courseId);
  const videos = query.data?.pages.flatMap((page) => page.data) ?? [];
  const lessonTitle = (id: string | null) => lessons.find((lesson) => lesson.id === id)?.title;

  return (
    <section className="stack" aria-labelledby="library-heading">
      <div className="library-header">
        <h2 id="library-heading">Videos</h2>
        <SaveStatus state={saveState} />
        <div className="filters">
          <label>
            Lesson
            <select value={lessonId} onChange={(event) => setLessonId(event.target.value)}>
              <option value="">All lessons</option>
              {lessons.map((lesson) => (
                <option key={lesson.id} value={lesson.id}>
                  {lesson.title}
                </option>
              ))}
            </select>
          </label>
          {seesEveryStatus ? (
            <label>
              Status
              <select value={status} onChange={(event) => setStatus(event.target.value)}>
                <option value="">All statuses</option>
                {Object.entries(STATUS_LABEL)
                  .filter(([value]) => value !== "aborted")
                  .map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
              </select>
            </label>
          ) : null}
        </div>
      </div>

      <EditAlert conflict={conflict} error={error} onReapply={reapply} onDismiss={dismiss} />

      {query.isError ? (
        <p role="alert" className="alert">
          The videos could not be loaded: {query.error.message}
        </p>
      ) : videos.length === 0 ? (
        <div className="card empty">{query.isPending ? <p>Loading…</p> : <p>{unfiltered ? "No videos yet." : "No videos match these filters."}</p>}</div>
      ) : (
        <ul className="video-list" aria-label="Videos">
          {videos.map((video) => (
            <li key={video.id} className="card video-card" aria-label={video.title}>
              <div className="thumbnail" aria-hidden="true">
                {/* eslint-disable-next-line @next/next/no-img-element -- storage URLs, not optimisable assets */}
                {video.thumbnailUrl ? <img src={video.thumbnailUrl} alt="" /> : <span>▶</span>}
              </div>
              <div className="video-body stack">
                <h3>
                  <InlineText label="Title" value={video.title} editable={canEdit} onSave={(title) => title && save(video, { title })} />
                </h3>
                <EditableDetails video={video} editable={canEdit} save={save} />
                <p className="meta">
                  <Link href={`/courses/${courseId}/videos/${video.id}`} aria-label={`Open ${video.title}`}>
                    Open
                  </Link>
                  <span className={`badge status-${video.status}`}>{statusText(video, { seesProcessing: seesEveryStatus })}</span>
                  {video.durationSeconds !== null ? <span>{formatDuration(video.durationSeconds)}</span> : null}
                  <span>{formatBytes(video.fileSizeBytes)}</span>
                  {lessonTitle(video.lessonId) ? <span>{lessonTitle(video.lessonId)}</span> : null}
                </p>
                {video.status === "uploading" ? (
                  <ProgressBar small label={`Upload progress of ${video.title}`} percent={video.upload.progressPercent} />
                ) : null}
                {video.status === "processing" ? (
                  <ProgressBar small label={`Processing progress of ${video.title}`} percent={video.processing.progressPercent} />
                ) : null}
                {video.playback.improving && seesEveryStatus ? (
                  <ProgressBar small label={`Quality progress of ${video.title}`} percent={video.processing.progressPercent} />
                ) : null}
                {video.status === "failed" && video.processing.error ? <p className="field-error">{video.processing.error}</p> : null}
              </div>
              {canDelete ? (
                <button
                  type="button"
                  className="button link danger-text"
                  onClick={() => remove(video)}
                >
                  Delete
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage ? (
        <button type="button" className="button secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}
