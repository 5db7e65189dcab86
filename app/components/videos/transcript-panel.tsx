"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { currentLineIndex, searchLines, type TranscriptLine } from "@/lib/captions/transcript";
import { formatDuration } from "../upload/format";
import { usePlayerTime } from "./use-player-time";

type Props = {
  videoRef: React.RefObject<HTMLVideoElement | null>;
  label: string;
  lines: TranscriptLine[] | undefined;
  error: string | undefined;
};

/** The chosen track as text beside the video: the line playing now highlighted, a line seeks there, a search narrows the list. */
export function TranscriptPanel({ videoRef, label, lines, error }: Props) {
  const time = usePlayerTime(videoRef);
  const [query, setQuery] = useState("");
  const listRef = useRef<HTMLOListElement>(null);
  const searchId = useId();


  const current = lines ? currentLineIndex(lines, time) : -1;
  const matches = useMemo(() => (lines ? searchLines(lines, query) : []), [lines, query]);
  const searching = query.trim() !== "";

  // Keeps the line playing now in view inside the list (never scrolls the page).
  useEffect(() => {
    const list = listRef.current;
    const item = list?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!list || !item || searching) return;
    const top = item.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = Math.max(0, top - list.clientHeight / 3);
  }, [current, searching]);

  const seek = (line: TranscriptLine) => {
    const video = videoRef.current;
    if (!video) return;
    video.currentTime = line.start;
  };

  return (
    <section className="transcript card" aria-labelledby={`${searchId}-heading`}>
      <h2 id={`${searchId}-heading`} className="transcript-heading">
        Transcript <span className="muted">({label})</span>
      </h2>
      <input
        type="search"
        className="transcript-search"
        aria-label="Search the transcript"
        placeholder="Search the transcript"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <p role="status" className="muted transcript-count">
        {searching && lines ? (matches.length === 0 ? "No line matches." : `${matches.length} ${matches.length === 1 ? "line matches" : "lines match"}.`) : ""}
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : !lines ? (
        <p className="muted">Loading the transcript…</p>
      ) : (
        <ol ref={listRef} className="transcript-lines" aria-label={`Transcript lines (${label})`}>
          {matches.map((index) => {
            const line = lines[index];
            if (!line) return null;
            return (
              <li key={index}>
                <button type="button" className="transcript-line" aria-current={index === current ? "true" : undefined} onClick={() => seek(line)}>
                  <span className="transcript-time">{formatDuration(line.start)}</span> <Highlighted text={line.text} query={query} />
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Highlighted({ text, query }: { text: string; query: string }) {
  const wanted = query.trim().toLocaleLowerCase();
  const at = wanted ? text.toLocaleLowerCase().indexOf(wanted) : -1;
  if (at < 0) return <span>{text}</span>;
  return (
    <span>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + wanted.length)}</mark>
      {text.slice(at + wanted.length)}
    </span>
  );
}
