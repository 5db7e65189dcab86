"use client";

import Link from "next/link";
import { ProgressBar } from "../progress-bar";
import { formatBytes } from "@/lib/format-bytes";
import { titleSchema } from "@/lib/videos/schemas";
import type { QueueItem, useUploadQueue } from "./use-upload-queue";

type Props = {
  courseId: string;
  lessons: { id: string; title: string }[];
  queue: ReturnType<typeof useUploadQueue>;
  onFinished: () => void;
};

const STATUS_LABEL: Record<QueueItem["status"], string> = {
  waiting: "Waiting",
  uploading: "Uploading",
  paused: "Paused",
  failed: "Failed",
  cancelled: "Cancelled",
  done: "Uploaded",
};

/** Many files at once: each with its title, lesson, progress and status; a few upload at a time, the rest wait. */
export function BatchUpload({ courseId, lessons, queue, onFinished }: Props) {
  const { items, running } = queue;
  const invalid = items.filter((item) => !titleSchema.safeParse(item.title).success);
  const finished = items.filter((item) => item.status === "done").length;
  const settled = items.every((item) => item.status === "done" || item.status === "cancelled");
  const batchLesson = items.find((item) => item.status === "waiting" && !item.videoId)?.lessonId ?? "";

  return (
    <section className="stack" aria-label="Upload queue">
      <h3>
        {items.length} videos · {finished} of {items.length} uploaded
      </h3>
      <div className="field">
        <label htmlFor="batch-lesson">Lesson for these videos</label>
        <select
          id="batch-lesson"
          value={batchLesson}
          onChange={(event) => {
            for (const item of items) if (item.status === "waiting" && !item.videoId) queue.edit(item.key, { lessonId: event.target.value });
          }}
        >
          <option value="">No lesson</option>
          {lessons.map((lesson) => (
            <option key={lesson.id} value={lesson.id}>
              {lesson.title}
            </option>
          ))}
        </select>
      </div>
      <ul className="queue" aria-label="Files">
        {items.map((item) => (
          <QueueRow key={item.key} item={item} courseId={courseId} lessons={lessons} queue={queue} />
        ))}
      </ul>
      {invalid.length > 0 ? (
        <p role="alert" className="alert">
          Give every video a title (at most 200 characters).
        </p>
      ) : null}
      <div className="actions">
        {!running ? (
          <>
            <button type="button" className="button secondary" onClick={onFinished}>
              Back
            </button>
            <button type="button" className="button" disabled={invalid.length > 0 || items.length === 0} onClick={queue.start}>
              Upload {items.length} videos
            </button>
          </>
        ) : settled ? (
          <button type="button" className="button" onClick={onFinished}>
            Upload more videos
          </button>
        ) : null}
      </div>
    </section>
  );
}

function QueueRow({ item, courseId, lessons, queue }: { item: QueueItem; courseId: string; lessons: Props["lessons"]; queue: Props["queue"] }) {
  const name = item.file.name;
  const editable = item.status === "waiting" && !item.videoId;
  const active = item.status === "uploading" || item.status === "paused";
  return (
    <li aria-label={name} className="queue-item" data-status={item.status}>
      <div className="queue-fields">
        <input
          aria-label={`Title of ${name}`}
          value={item.title}
          maxLength={200}
          disabled={!editable}
          onChange={(event) => queue.edit(item.key, { title: event.target.value })}
        />
        <select aria-label={`Lesson of ${name}`} value={item.lessonId} disabled={!editable} onChange={(event) => queue.edit(item.key, { lessonId: event.target.value })}>
          <option value="">No lesson</option>
          {lessons.map((lesson) => (
            <option key={lesson.id} value={lesson.id}>
              {lesson.title}
            </option>
          ))}
        </select>
        <span className="muted">
          {name} · {formatBytes(item.file.size)}
        </span>
      </div>
      {active || item.status === "done" ? <ProgressBar small label={`Upload progress of ${name}`} percent={item.percent} /> : null}
      <p className="muted" data-testid="queue-status">
        {STATUS_LABEL[item.status]}
        {item.status === "uploading" ? ` ${item.percent}%` : ""}
        {item.status === "uploading" && item.offline ? " · waiting for the connection" : ""}
        {item.resumedParts > 0 && active ? ` · resumed (${item.resumedParts} ${item.resumedParts === 1 ? "part" : "parts"} already stored)` : ""}
      </p>
      {item.status === "failed" ? (
        <p role="alert" className="alert">
          “{name}” stopped: {item.error} Nothing is lost: retry to continue.
        </p>
      ) : null}
      <div className="actions">
        {item.status === "uploading" ? (
          <button type="button" className="button secondary" onClick={() => queue.pause(item.key)}>
            Pause {name}
          </button>
        ) : null}
        {item.status === "paused" ? (
          <button type="button" className="button" onClick={() => queue.resume(item.key)}>
            Resume {name}
          </button>
        ) : null}
        {item.status === "failed" ? (
          <button type="button" className="button" onClick={() => queue.retry(item.key)}>
            Retry {name}
          </button>
        ) : null}
        {active || item.status === "waiting" || item.status === "failed" ? (
          <button type="button" className="button link" onClick={() => void (editable && !queue.running ? queue.remove(item.key) : queue.cancel(item))}>
            {editable && !queue.running ? `Remove ${name}` : `Cancel ${name}`}
          </button>
        ) : null}
        {item.status === "done" && item.videoId ? <Link href={`/courses/${courseId}/videos/${item.videoId}`}>Open {item.title}</Link> : null}
      </div>
    </li>
  );
}
