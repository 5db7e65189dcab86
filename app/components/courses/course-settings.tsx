"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { CourseDto } from "@/lib/courses/schemas";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";
import { canNow } from "@/lib/videos/policy";
import { useLeaveWarning } from "../use-leave-warning";
import { InlineText } from "../videos/inline-text";
import { SaveStatus } from "../videos/save-status";
import type { SaveState } from "../videos/use-video-mutations";

/** Title, description and archiving of a course, for the roles the policy allows. */
export function CourseSettings({ initial }: { initial: CourseDto }) {
  const router = useRouter();
  const [course, setCourse] = useState(initial);
  const [state, setState] = useState<SaveState>("idle");
  const [error, setError] = useState<string>();
  useLeaveWarning(state === "saving");
  const archived = course.archivedAt !== null;
  const canEdit = canNow({ role: course.role, action: "editCourse", archived });

  const save = async (changes: { title?: string; description?: string | null }) => {
    setError(undefined);
    setState("saving");
    const before = course;
    setCourse({ ...course, ...changes });
    try {
      const { data } = await fetcher<{ data: CourseDto }>(`/api/v1/education/courses/${course.id}`, {
        method: "PATCH",
        body: JSON.stringify({ ...changes, version: before.version }),
      });
      setCourse(data);
      setState("saved");
      router.refresh();
    } catch (failure) {
      const current = failure instanceof AppError && failure.status === 409 ? (failure.details as { current?: CourseDto } | undefined)?.current : undefined;
      setCourse(current ?? before);
      setState("idle");
      setError(
        current
          ? `Someone else changed this course meanwhile; you now see their version (title “${current.title}”). Apply your change again if you still want it.`
          : `Your change was not saved: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    }
  };

  const setArchived = async (archive: boolean) => {
    setError(undefined);
    setState("saving");
    try {
      const { data } = await fetcher<{ data: CourseDto }>(`/api/v1/education/courses/${course.id}/${archive ? "archive" : "restore"}`, { method: "POST" });
      setCourse(data);
      setState("saved");
      router.refresh();
    } catch (failure) {
      setState("idle");
      setError(`The course was not ${archive ? "archived" : "restored"}: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  };

  return (
    <section className="card stack" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Course settings</h2>
      <div className="field">
        <span className="muted">Title</span>
        <InlineText label="Course title" value={course.title} editable={canEdit} onSave={(title) => void save({ title })} />
      </div>
      <div className="field">
        <span className="muted">Description</span>
        <InlineText
          label="Course description"
          value={course.description ?? ""}
          placeholder="No description"
          multiline
          editable={canEdit}
          onSave={(description) => void save({ description: description || null })}
        />
      </div>
      <div className="actions">
        {archived && canNow({ role: course.role, action: "restoreCourse", archived }) ? (
          <button type="button" className="button secondary" onClick={() => void setArchived(false)}>
            Restore course
          </button>
        ) : null}
        {!archived && canNow({ role: course.role, action: "archiveCourse", archived }) ? (
          <button type="button" className="button secondary" onClick={() => void setArchived(true)}>
            Archive course
          </button>
        ) : null}
        <SaveStatus state={state} />
      </div>
      {error ? (
        <p role="alert" className="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
