"use client";

import { useEffect, useState } from "react";
import { DetailsStep } from "./details-step";
import { FilePreview, FileStep } from "./file-step";
import { discardPendingUpload, useUpload } from "./use-upload";
import { findPendingUpload, type PendingUpload, usePendingUploads } from "./pending-uploads";
import { ProgressStep } from "./progress-step";
import { BatchUpload } from "./batch-upload";
import { titleFromFilename } from "./format";
import { useUploadQueue } from "./use-upload-queue";

type Props = { courseId: string; lessons: { id: string; title: string }[]; maxBytes: number };

/**
 * The upload wizard: choose a file, describe it, upload it straight to storage. Several files at once go to the
 * upload queue instead (a title from each file name, a lesson, two uploading at a time).
 */
export function UploadWizard({ courseId, lessons, maxBytes }: Props) {
  const upload = useUpload({ courseId });
  const queue = useUploadQueue({ courseId });
  const [batch, setBatch] = useState(false);
  const [file, setFile] = useState<{ file: File; url: string }>();
  const [step, setStep] = useState<"file" | "details">("file");
  const [title, setTitle] = useState("");
  const pending = usePendingUploads(courseId);
  const [resumeTarget, setResumeTarget] = useState<PendingUpload>();
  const [pendingError, setPendingError] = useState<string>();

  useEffect(() => () => (file ? URL.revokeObjectURL(file.url) : undefined), [file]);

  const chooseFiles = (chosen: File[]) => {
    const [only] = chosen;
    if (chosen.length === 1 && only && !batch) return chooseFile(only);
    const entries = chosen.map((file) => {
      const remembered = findPendingUpload(courseId, file);
      return { file, lessonId: "", resume: remembered ? { videoId: remembered.videoId, title: remembered.title } : undefined };
    });
    setResumeTarget(undefined);
    setPendingError(undefined);
    queue.add(entries);
    setBatch(true);
    // Files that only continue remembered uploads need no details: they go on at once.
    if (entries.every((entry) => entry.resume)) queue.start();
  };

  const chooseFile = (chosen: File) => {
    const remembered = findPendingUpload(courseId, chosen);
    if (remembered) {
      setResumeTarget(undefined);
      setTitle(remembered.title);
      return upload.start({ file: chosen, resumeVideoId: remembered.videoId, title: remembered.title });
    }
    if (resumeTarget) return setPendingError(`Choose “${resumeTarget.name}” to resume that upload, or discard it.`);
    setFile({ file: chosen, url: URL.createObjectURL(chosen) });
  };

  const restart = () => {
    upload.reset();
    setFile(undefined);
    setStep("file");
    setResumeTarget(undefined);
    setPendingError(undefined);
  };

  const { state } = upload;
  if (batch) {
    return (
      <BatchUpload
        courseId={courseId}
        lessons={lessons}
        queue={queue}
        onFinished={() => {
          queue.clear();
          setBatch(false);
        }}
      />
    );
  }
  if (state.phase === "uploading" || state.phase === "paused") {
    return <ProgressStep state={state} title={title} onPause={upload.pause} onResume={upload.resume} onCancel={() => void upload.cancel()} />;
  }
  if (state.phase === "done" || state.phase === "cancelled" || state.phase === "failed") {
    return (
      <div className="stack">
        {state.phase === "done" ? <p role="status">Uploaded “{title}”. It will be processed next.</p> : null}
        {state.phase === "cancelled" ? <p role="status">Upload cancelled.</p> : null}
        {state.phase === "failed" ? (
          <p role="alert" className="alert">
            The upload stopped: {state.message} Nothing is lost: choose the same file again to continue.
          </p>
        ) : null}
        <button type="button" className="button" onClick={restart}>
          Upload another video
        </button>
      </div>
    );
  }

  return (
    <div className="stack">
      {pending.length > 0 && step === "file" && !file ? (
        <section aria-label="Unfinished uploads" className="pending">
          <h3>Unfinished uploads</h3>
          <ul>
            {pending.map((entry) => (
              <li key={entry.videoId}>
                <span>
                  {entry.title} <span className="muted">({entry.name})</span>
                </span>
                <button type="button" className="button secondary" onClick={() => setResumeTarget(entry)}>
                  Resume
                </button>
                <button
                  type="button"
                  className="button link"
                  onClick={() => void discardPendingUpload(entry.videoId)}
                >
                  Discard
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {pendingError ? (
        <p role="alert" className="alert">
          {pendingError}
        </p>
      ) : null}
      {!file ? (
        <FileStep
          maxBytes={maxBytes}
          onFiles={chooseFiles}
          hint={
            resumeTarget
              ? `Choose “${resumeTarget.name}” again to continue where it stopped.`
              : pending.length > 1
                ? "Choose the unfinished files again (all at once, if you like) to continue where they stopped."
                : undefined
          }
        />
      ) : step === "file" ? (
        <div className="stack">
          <FilePreview file={file.file} url={file.url} />
          <div className="actions">
            <button type="button" className="button secondary" onClick={restart}>
              Choose another file
            </button>
            <button type="button" className="button" onClick={() => setStep("details")}>
              Next
            </button>
          </div>
        </div>
      ) : (
        <DetailsStep
          defaultTitle={titleFromFilename(file.file.name)}
          lessons={lessons}
          onBack={() => setStep("file")}
          onSubmit={({ metadata, lessonId }) => {
            setTitle(metadata.title);
            upload.start({ file: file.file, metadata, lessonId });
          }}
        />
      )}
    </div>
  );
}
