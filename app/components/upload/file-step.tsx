"use client";

import { useState } from "react";
import { ACCEPTED_VIDEO_TYPES } from "@/lib/videos/schemas";
import { formatBytes } from "@/lib/format-bytes";
import { formatDuration } from "./format";

type Props = { maxBytes: number; hint?: string; onFiles: (files: File[]) => void };

/** Why a file cannot be uploaded, or undefined when it can. */
function refusal(file: File, maxBytes: number): string | undefined {
  if (!(ACCEPTED_VIDEO_TYPES as readonly string[]).includes(file.type)) return `“${file.name}” is not a video we accept. Choose an MP4, WebM, MOV or AVI file.`;
  if (file.size > maxBytes) return `“${file.name}” is ${formatBytes(file.size)}; videos can be at most ${formatBytes(maxBytes)}.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  return undefined;
}

/** Step 1: drop or choose one video or many; each one's type and size are checked before anything is sent. */
export function FileStep({ maxBytes, hint, onFiles }: Props) {
  const [errors, setErrors] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);

  const choose = (list: FileList | null | undefined) => {
    const files = Array.from(list ?? []);
    if (files.length === 0) return;
    const refused = files.map((file) => refusal(file, maxBytes)).filter((reason) => reason !== undefined);
    setErrors(refused);
    const accepted = files.filter((file) => refusal(file, maxBytes) === undefined);
    if (accepted.length) onFiles(accepted);
  };

  return (
    <div className="stack">
      <div
        className={`dropzone${dragging ? " dragging" : ""}`}
        data-testid="dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          choose(event.dataTransfer.files);
        }}
      >
        <p>Drag videos here (one or many), or</p>
        <div className="field">
          <label htmlFor="video-file">Video file</label>
          <input id="video-file" type="file" multiple accept={ACCEPTED_VIDEO_TYPES.join(",")} onChange={(event) => choose(event.target.files)} />
        </div>
        <p className="muted">MP4, WebM, MOV or AVI, up to {formatBytes(maxBytes)}.</p>
        {hint ? <p className="hint">{hint}</p> : null}
      </div>
      {errors.map((error) => (
        <p key={error} role="alert" className="alert">
          {error}
        </p>
      ))}
    </div>
  );
}

/** A local preview, with the duration and resolution the browser reads from the file. */
export function FilePreview({ file, url }: { file: File; url: string }) {
  const [info, setInfo] = useState<string>();
  return (
    <figure className="preview">
      <video
        src={url}
        controls
        muted
        preload="metadata"
        aria-label="Preview"
        onLoadedMetadata={(event) => {
          const video = event.currentTarget;
          setInfo(`${formatDuration(video.duration)} · ${video.videoWidth}×${video.videoHeight}`);
        }}
        onError={() => setInfo("No preview: this browser cannot play the file. It is checked after upload.")}
      />
      <figcaption>
        <strong>{file.name}</strong> · {formatBytes(file.size)}
        {info ? ` · ${info}` : null}
      </figcaption>
    </figure>
  );
}
