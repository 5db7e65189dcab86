"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { lessonInputSchema, type LessonWithVideos } from "@/lib/courses/schemas";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import { useLeaveWarning } from "../use-leave-warning";
import { formatDuration } from "../upload/format";
import { InlineText } from "../videos/inline-text";
import { SaveStatus } from "../videos/save-status";
import { isStatusInFlight, STATUS_LABEL } from "../videos/status-label";
import type { SaveState } from "../videos/use-video-mutations";
import { SortableList } from "./sortable-list";

const api = "/api/v1/education";
const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/** Lessons of a course for those who manage them: add, rename, delete, and reorder lessons and each lesson's videos. */
export function LessonsPanel({ courseId, initialLessons }: { courseId: string; initialLessons: LessonWithVideos[] }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const key = queryKeys.lessons(courseId);
  const { data: lessons = initialLessons } = useQuery({
    queryKey: key,
    queryFn: async () => (await fetcher<{ data: LessonWithVideos[] }>(`${api}/courses/${courseId}/lessons`)).data,
    initialData: initialLessons,
    // Statuses shown beside the videos: poll while one of them is still uploading or being processed.
    refetchInterval: (current) => (current.state.data?.some((lesson) => lesson.videos.some((video) => isStatusInFlight(video.status))) ? 2000 : false),
  });
  const [state, setState] = useState<SaveState>("idle");
  const [error, setError] = useState<string>();
  const [newTitle, setNewTitle] = useState("");
  const [titleError, setTitleError] = useState<string>();
  useLeaveWarning(state === "saving");

  /** Runs a write with the panel's save state; `optimistic` shows its result at once and is undone if it fails. */
  const write = async (what: string, run: () => Promise<unknown>, optimistic?: (current: LessonWithVideos[]) => LessonWithVideos[]) => {
    setError(undefined);
    setState("saving");
    const before = queryClient.getQueryData<LessonWithVideos[]>(key) ?? lessons;
    if (optimistic) queryClient.setQueryData(key, optimistic(before));
    try {
      await run();
      setState("saved");
      // The upload wizard's lesson picker and the library's lesson names come from the server.
      router.refresh();
    } catch (failure) {
      queryClient.setQueryData(key, before);
      setState("idle");
      setError(`${what} failed: ${message(failure)}`);
    } finally {
      await queryClient.invalidateQueries({ queryKey: key });
    }
  };

  const addLesson = async (event: React.FormEvent) => {
    event.preventDefault();
    const parsed = lessonInputSchema.safeParse({ title: newTitle });
    if (!parsed.success) {
      setTitleError(parsed.error.issues[0]?.message);
      return;
    }
    setTitleError(undefined);
    await write(`Adding “${parsed.data.title}”`, () => fetcher(`${api}/courses/${courseId}/lessons`, { method: "POST", body: JSON.stringify(parsed.data) }));
    setNewTitle("");
  };

  const reorderLessons = (ids: string[]) =>
    write(
      "Reordering the lessons",
      () => fetcher(`${api}/courses/${courseId}/lessons/order`, { method: "PUT", body: JSON.stringify({ lessonIds: ids }) }),
      (current) => ids.flatMap((id) => current.filter((lesson) => lesson.id === id)),
    );

  const reorderVideos = (lessonId: string, ids: string[]) =>
    write(
      "Reordering the videos",
      () => fetcher(`${api}/lessons/${lessonId}/videos/order`, { method: "PUT", body: JSON.stringify({ videoIds: ids }) }),
      (current) =>
        current.map((lesson) => (lesson.id === lessonId ? { ...lesson, videos: ids.flatMap((id) => lesson.videos.filter((video) => video.id === id)) } : lesson)),
    );

  const rename = (lesson: LessonWithVideos, title: string) => {
    const parsed = lessonInputSchema.safeParse({ title });
    if (!parsed.success) {
      setError(`Renaming “${lesson.title}” failed: ${parsed.error.issues[0]?.message ?? "invalid title"}`);
      return;
    }
    void write(
      `Renaming “${lesson.title}”`,
      () => fetcher(`${api}/lessons/${lesson.id}`, { method: "PATCH", body: JSON.stringify(parsed.data) }),
      (current) => current.map((item) => (item.id === lesson.id ? { ...item, title: parsed.data.title } : item)),
    );
  };

  const remove = (lesson: LessonWithVideos) =>
    write(
      `Deleting “${lesson.title}”`,
      () => fetcher(`${api}/lessons/${lesson.id}`, { method: "DELETE" }),
      (current) => current.filter((item) => item.id !== lesson.id),
    );

  return (
    <section className="card stack" aria-labelledby="lessons-heading">
      <div className="actions">
        <h2 id="lessons-heading">Lessons</h2>
        <SaveStatus state={state} />
      </div>
      {error ? (
        <p role="alert" className="alert">
          {error}
        </p>
      ) : null}
      {lessons.length === 0 ? <p className="muted">No lessons yet. Add the first one below.</p> : null}
      <SortableList items={lessons.map((lesson) => ({ ...lesson, label: lesson.title }))} noun="lesson" listLabel="Lessons" onReorder={(ids) => void reorderLessons(ids)}>
        {(lesson, handle) => (
          <>
            <div className="row">
              {handle}
              <InlineText label={`Lesson name ${lesson.title}`} value={lesson.title} editable onSave={(title) => rename(lesson, title)} />
              {/* Its visible word comes from CSS, so the row's text stays the lesson's title. */}
              <button type="button" className="button link delete-lesson" aria-label={`Delete lesson ${lesson.title}`} onClick={() => void remove(lesson)} />
            </div>
            {lesson.videos.length > 0 ? (
              <div className="lesson-videos">
                <SortableList
                  items={lesson.videos.map((video) => ({ ...video, label: video.title }))}
                  noun="video"
                  listLabel={`Videos of ${lesson.title}`}
                  onReorder={(ids) => void reorderVideos(lesson.id, ids)}
                >
                  {(video, videoHandle) => (
                    <div className="row">
                      {videoHandle}
                      <span>{video.title}</span>
                      <span className="muted">{STATUS_LABEL[video.status]}</span>
                      {video.durationSeconds !== null ? <span className="muted">{formatDuration(video.durationSeconds)}</span> : null}
                    </div>
                  )}
                </SortableList>
              </div>
            ) : null}
          </>
        )}
      </SortableList>
      <p className="muted">Deleting a lesson keeps its videos in the course, without a lesson.</p>
      <form className="actions" onSubmit={(event) => void addLesson(event)} noValidate>
        <div className="field">
          <label htmlFor="new-lesson-title">New lesson name</label>
          <input
            id="new-lesson-title"
            value={newTitle}
            maxLength={200}
            aria-invalid={Boolean(titleError)}
            aria-describedby={titleError ? "new-lesson-title-error" : undefined}
            onChange={(event) => setNewTitle(event.target.value)}
          />
          {titleError ? (
            <span id="new-lesson-title-error" className="field-error">
              {titleError}
            </span>
          ) : null}
        </div>
        <button type="submit" className="button secondary">
          Add lesson
        </button>
      </form>
    </section>
  );
}
