"use client";

import { useState } from "react";
import { formatDuration } from "../upload/format";

/** "Resumed at 3:12 · Start over": the video opened where the viewer stopped; one click goes back to the start. */
export function ResumeNotice({ at, playerRef }: { at: number; playerRef: React.RefObject<HTMLVideoElement | null> }) {
  const [dismissed, setDismissed] = useState(false);
  if (dismissed) return null;
  return (
    <p className="resume-notice" role="status">
      Resumed at {formatDuration(at)} ·{" "}
      <button
        type="button"
        className="button link"
        onClick={() => {
          const video = playerRef.current;
          if (video) {
            video.currentTime = 0;
            video.focus();
          }
          setDismissed(true);
        }}
      >
        Start over
      </button>
    </p>
  );
}
