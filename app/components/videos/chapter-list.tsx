"use client";

import type { ChapterInput } from "@/lib/captions/chapters";
import { formatDuration } from "../upload/format";
import { usePlayerTime } from "./use-player-time";

/** The video's chapters: the one playing now marked, each a button that seeks to its start. */
export function ChapterList({ videoRef, chapters }: { videoRef: React.RefObject<HTMLVideoElement | null>; chapters: ChapterInput[] }) {
  const time = usePlayerTime(videoRef);

  const current = chapters.findLastIndex((chapter) => chapter.startSeconds <= time);
  return (
    <nav className="chapters" aria-label="Chapters">
      <h2 className="transcript-heading">Chapters</h2>
      <ol className="transcript-lines">
        {chapters.map((chapter, index) => (
          <li key={`${chapter.startSeconds}-${chapter.title}`}>
            <button
              type="button"
              className="transcript-line"
              aria-current={index === current ? "true" : undefined}
              onClick={() => {
                const video = videoRef.current;
                if (!video) return;
                video.currentTime = chapter.startSeconds;
              }}
            >
              <span className="transcript-time">{formatDuration(chapter.startSeconds)}</span> {chapter.title}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
