"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import {
  addCue,
  type CaptionDraft,
  checkDraft,
  cueStartSeconds,
  deleteCue,
  draftCues,
  draftFromWebVtt,
  type EditResult,
  hasIssues,
  mergeWithNext,
  shiftCues,
  splitCue,
  updateCue,
  writeDraft,
} from "@/lib/captions/edit";
import type { CaptionTrackDto } from "@/lib/captions/schemas";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import { useLeaveWarning } from "../use-leave-warning";
import { SaveStatus } from "./save-status";
import type { SaveState } from "./use-video-mutations";

type Props = {
  videoId: string;
  language: string;
  durationSeconds: number | null;
  playerRef: React.RefObject<HTMLVideoElement | null>;
  onClose: () => void;
};
/** What the editor works on: the track as the server has it (its version, and its text as the editor writes it) and the edits. */
type Working = { track: CaptionTrackDto; base: string; draft: CaptionDraft };
type Conflict = { current: CaptionTrackDto; mine: CaptionDraft };

async function loadTrack(videoId: string, language: string): Promise<{ track: CaptionTrackDto; text: string }> {
  const { data } = await fetcher<{ data: CaptionTrackDto[] }>(`/api/v1/education/videos/${videoId}/captions`);
  const track = data.find((candidate) => candidate.language === language);
  if (!track) throw new AppError("not_found", "These captions were deleted meanwhile.");
  const response = await fetch(track.url, { credentials: "same-origin" });
  if (!response.ok) throw new AppError("http_error", "The captions could not be loaded.");
  return { track, text: await response.text() };
}

const toWorking = (track: CaptionTrackDto, text: string): Working => {
  const draft = draftFromWebVtt(text);
  return { track, base: writeDraft(draft).webvtt, draft };
};

/** Staff edit a track's cues in place: times and text, shift, split, merge, add and delete, checked as they type. */
export function CaptionEditor({ videoId, language, durationSeconds, playerRef, onClose }: Props) {
  const queryClient = useQueryClient();
  const source = useQuery({
    queryKey: queryKeys.captionSource({ videoId, language }),
    queryFn: () => loadTrack(videoId, language),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  const loaded = useMemo(() => (source.data ? toWorking(source.data.track, source.data.text) : undefined), [source.data]);
  const [edited, setEdited] = useState<Working>();
  const working = edited ?? loaded;
  const [conflict, setConflict] = useState<Conflict>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [offset, setOffset] = useState("0.5");

  const issues = useMemo(() => (working ? checkDraft(working.draft, { durationSeconds }) : undefined), [working, durationSeconds]);
  const text = working ? writeDraft(working.draft).webvtt : "";
  const dirty = Boolean(working && text !== working.base);

  const save = useMutation({
    mutationFn: ({ draft, version, reviewed }: { draft: CaptionDraft; version: number; reviewed?: boolean }) =>
      fetcher<{ data: CaptionTrackDto }>(`/api/v1/education/videos/${videoId}/captions/${encodeURIComponent(language)}`, {
        method: "PUT",
        body: JSON.stringify({ format: "vtt", content: writeDraft(draft).webvtt, version, ...(reviewed === undefined ? {} : { reviewed }) }),
      }),
    onMutate: () => {
      setError(undefined);
      setConflict(undefined);
      setNotice(undefined);
    },
    onSuccess: ({ data }, { draft }) => {
      setEdited({ track: data, base: writeDraft(draft).webvtt, draft });
      // The player's tracks and transcript show the saved version.
      void queryClient.invalidateQueries({ queryKey: queryKeys.captions(videoId), predicate: (query) => query.queryKey[3] !== "source" });
    },
    onError: async (failure, { draft }) => {
      const current = failure instanceof AppError && failure.status === 409 ? (failure.details as { current?: CaptionTrackDto | null } | undefined)?.current : undefined;
      if (!current) return setError(`Your captions were not saved: ${failure.message}`);
      try {
        const theirs = await loadTrack(videoId, language);
        setEdited(toWorking(theirs.track, theirs.text));
        setConflict({ current: theirs.track, mine: draft });
      } catch (cause) {
        setError(`Your captions were not saved: someone else changed them, and their version could not be loaded (${cause instanceof Error ? cause.message : String(cause)}).`);
      }
    },
  });
  useLeaveWarning(dirty || save.isPending);
  const saveState: SaveState = save.isPending ? "saving" : save.isSuccess && !dirty ? "saved" : "idle";

  if (source.isError) {
    return (
      <section className="card stack" aria-label={`Edit captions ${language}`}>
        <p role="alert" className="alert">
          {source.error.message}
        </p>
        <button type="button" className="button link" onClick={onClose}>
          Close editor
        </button>
      </section>
    );
  }
  if (!working || !issues) {
    return (
      <section className="card" aria-label={`Edit captions ${language}`}>
        <p className="muted">Loading the captions…</p>
      </section>
    );
  }

  const { track, draft } = working;
  const cues = draftCues(draft);
  const invalid = hasIssues(issues);
  const change = (next: CaptionDraft) => setEdited({ ...working, draft: next });
  const apply = (result: EditResult) => {
    if (!result.ok) return setNotice(result.message);
    setNotice(undefined);
    change(result.draft);
  };
  const playerTime = () => playerRef.current?.currentTime ?? 0;
  const playFrom = (seconds: number) => {
    const video = playerRef.current;
    if (!video) return setNotice("The player is not there yet.");
    video.currentTime = seconds;
    void video.play().catch(() => setNotice("The browser did not start playback: press play on the video."));
  };
  const close = () => {
    if (dirty && !window.confirm("Leave the caption editor? Your unsaved changes will be lost.")) return;
    onClose();
  };

  return (
    <section className="card stack caption-editor" aria-labelledby="caption-editor-heading">
      <h2 id="caption-editor-heading" className="transcript-heading">
        Edit captions: {track.label}
      </h2>
      <p className="meta">
        <span>
          {track.language}, {track.origin === "machine" ? "machine-made" : track.origin}, {track.reviewed ? "reviewed" : "not reviewed"}, version {track.version}
        </span>
        <SaveStatus state={saveState} />
        {dirty ? <span>Unsaved changes</span> : null}
      </p>
      {conflict ? (
        <div role="alert" className="alert">
          <p>
            Someone else changed these captions meanwhile; you now see their version (version {conflict.current.version}, {conflict.current.cueCount} cues).
          </p>
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => save.mutate({ draft: conflict.mine, version: conflict.current.version })}>
              Apply my changes again
            </button>
            <button type="button" className="button link" onClick={() => setConflict(undefined)}>
              Dismiss
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="alert">
          {error}
        </p>
      ) : null}
      <div className="actions">
        <div className="field">
          <label htmlFor="caption-shift">Shift all cues by (seconds)</label>
          <input id="caption-shift" type="number" step="0.1" value={offset} onChange={(event) => setOffset(event.target.value)} />
        </div>
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            const seconds = Number(offset);
            if (!Number.isFinite(seconds) || seconds === 0) return setNotice("Enter the seconds to shift by, such as 0.5 or -1.2.");
            setNotice(undefined);
            change(shiftCues(draft, seconds));
          }}
        >
          Shift all cues
        </button>
        <button type="button" className="button secondary" onClick={() => apply(addCue(draft, playerTime(), { durationSeconds }))}>
          Add a cue at the player&apos;s time
        </button>
      </div>
      <p role="status" className="muted">
        {notice ?? ""}
      </p>
      {issues.general.length > 0 ? (
        <ul className="field-error">
          {issues.general.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
      ) : null}
      {cues.length === 0 ? <p className="muted">No cues: add one at the player&apos;s time.</p> : null}
      <ol className="caption-cues stack" aria-label="Cues">
        {cues.map((cue, index) => {
          const number = index + 1;
          const messages = issues.byCue.get(cue.key) ?? [];
          const errorId = `cue-${cue.key}-errors`;
          const described = messages.length > 0 ? errorId : undefined;
          const start = cueStartSeconds(cue);
          return (
            <li key={cue.key}>
              <fieldset className="stack">
                <legend>Cue {number}</legend>
                <div className="actions">
                  <div className="field">
                    <label htmlFor={`cue-${cue.key}-start`}>Start of cue {number}</label>
                    <input id={`cue-${cue.key}-start`} value={cue.start} aria-invalid={messages.length > 0} aria-describedby={described} onChange={(event) => change(updateCue(draft, cue.key, { start: event.target.value }))} />
                  </div>
                  <div className="field">
                    <label htmlFor={`cue-${cue.key}-end`}>End of cue {number}</label>
                    <input id={`cue-${cue.key}-end`} value={cue.end} aria-invalid={messages.length > 0} aria-describedby={described} onChange={(event) => change(updateCue(draft, cue.key, { end: event.target.value }))} />
                  </div>
                </div>
                <div className="field">
                  <label htmlFor={`cue-${cue.key}-text`}>Text of cue {number}</label>
                  <textarea id={`cue-${cue.key}-text`} rows={2} value={cue.text} aria-invalid={messages.length > 0} aria-describedby={described} onChange={(event) => change(updateCue(draft, cue.key, { text: event.target.value }))} />
                </div>
                {messages.length > 0 ? (
                  <ul id={errorId} className="field-error">
                    {messages.map((message, at) => (
                      <li key={at}>{message}</li>
                    ))}
                  </ul>
                ) : null}
                <div className="actions">
                  <button type="button" className="button link" disabled={start === undefined} onClick={() => start !== undefined && playFrom(start)}>
                    Play from cue {number}
                  </button>
                  <button type="button" className="button link" onClick={() => apply(splitCue(draft, cue.key))}>
                    Split cue {number}
                  </button>
                  <button type="button" className="button link" onClick={() => apply(splitCue(draft, cue.key, playerTime()))}>
                    Split cue {number} at the player&apos;s time
                  </button>
                  <button type="button" className="button link" disabled={index === cues.length - 1} onClick={() => apply(mergeWithNext(draft, cue.key))}>
                    Merge cue {number} with the next
                  </button>
                  <button type="button" className="button link" onClick={() => change(deleteCue(draft, cue.key))}>
                    Delete cue {number}
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="actions">
        <button type="button" className="button" disabled={!dirty || invalid || save.isPending} onClick={() => save.mutate({ draft, version: track.version })}>
          {save.isPending ? "Saving…" : "Save captions"}
        </button>
        {!track.reviewed ? (
          <button type="button" className="button secondary" disabled={invalid || save.isPending} onClick={() => save.mutate({ draft, version: track.version, reviewed: true })}>
            Mark as reviewed
          </button>
        ) : null}
        <button type="button" className="button link" onClick={close}>
          Close editor
        </button>
        {invalid ? <span className="field-error">Fix the problems marked above to save.</span> : null}
      </div>
    </section>
  );
}
