"use client";

import { useEffect, useState } from "react";

/** The player's current time, kept up to date as it plays and seeks (for the transcript and the chapter list). */
export function usePlayerTime(videoRef: React.RefObject<HTMLVideoElement | null>): number {
  const [time, setTime] = useState(0);
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const update = () => setTime(video.currentTime);
    video.addEventListener("timeupdate", update);
    video.addEventListener("seeked", update);
    return () => {
      video.removeEventListener("timeupdate", update);
      video.removeEventListener("seeked", update);
    };
  }, [videoRef]);
  return time;
}
