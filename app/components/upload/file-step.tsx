"use client";

import { useState } from "react";
import { ACCEPTED_VIDEO_TYPES } from "@/lib/videos/schemas";
import { formatBytes } from "@/lib/format-bytes";
import { formatDuration } from "./format";

type Props = { maxBytes: number; hint?: string; onFile: (file: File) => void };

/** Step 1: drop or choose a video; its type and size are checked before anything is sent. */
export function FileStep({ maxBytes, hint, onFile }: Props) {
  const [error, setError] = useState<string>();
  const [dragging, setDragging] = useState(false);

  const choose = (file: File | undefined) => {
    if (!file) return;
    if (!(ACCEPTED_VIDEO_TYPES as readonly string[]).includes(file.type)) {
      return setError(`“${file.name}” is not a video we accept. Choose an MP4, WebM, MOV or AVI file.`);
    }
    if (file.size > maxBytes) return setError(`“${file.name}” is ${formatBytes(file.size)}; videos can be at most ${formatBytes(maxBytes)}.`);
    if (file.size === 0) return setError(`“${file.name}” is empty.`);
    setError(undefined);
    onFile(file);
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
          choose(event.dataTransfer.files[0]);
        }}
      >
        <p>Drag a video here, or</p>
        <div className="field">
          <label htmlFor="video-file">Video file</label>
          <input id="video-file" type="file" accept={ACCEPTED_VIDEO_TYPES.join(",")} onChange={(event) => choose(event.target.files?.[0])} />
        </div>
        <p className="muted">MP4, WebM, MOV or AVI, up to {formatBytes(maxBytes)}.</p>
        {hint ? <p className="hint">{hint}</p> : null}
      </div>
      {error ? (
        <p role="alert" className="alert">
          {error}
        </p>
      ) : null}
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
