"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { CaptionIssue } from "@/lib/captions/document";
import { decodeCaptionBytes, MAX_CAPTION_BYTES } from "@/lib/captions/encoding";
import type { CaptionTrackDto } from "@/lib/captions/schemas";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import { SelectField } from "../select-field";
import { TextField } from "../text-field";

type Failure = { message: string; issues: CaptionIssue[] };

const issuesOf = (error: unknown): CaptionIssue[] => {
  const details = error instanceof AppError ? error.details : undefined;
  if (!details || typeof details !== "object" || !("errors" in details) || !Array.isArray(details.errors)) return [];
  return details.errors as CaptionIssue[];
};

/** Staff upload a WebVTT or SRT file per language and remove tracks; problems are listed with their lines. */
export function CaptionManager({ videoId, onEdit }: { videoId: string; onEdit: (language: string) => void }) {
  const queryClient = useQueryClient();
  const { data: tracks = [] } = useQuery({
    queryKey: queryKeys.captions(videoId),
    queryFn: () => fetcher<{ data: CaptionTrackDto[] }>(`/api/v1/education/videos/${videoId}/captions`).then((body) => body.data),
  });
  const [failure, setFailure] = useState<Failure>();
  const [saved, setSaved] = useState<string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.captions(videoId) });

  const upload = useMutation({
    mutationFn: async ({ file, language, kind }: { file: File; language: string; kind: string }) => {
      if (file.size > MAX_CAPTION_BYTES) throw new AppError("file_too_large", "The caption file is larger than 2 MB.");
      // The page sends JSON (the session's CSRF rule), so the bytes are checked here as the server checks them.
      const decoded = decodeCaptionBytes(new Uint8Array(await file.arrayBuffer()));
      if (!decoded.ok) throw new AppError("invalid_caption_file", "The caption file has a problem.", { details: { errors: decoded.errors } });
      const format = /\.srt$/i.test(file.name) ? "srt" : "vtt";
      return fetcher<{ data: CaptionTrackDto }>(`/api/v1/education/videos/${videoId}/captions/${encodeURIComponent(language)}`, {
        method: "PUT",
        body: JSON.stringify({ format, content: decoded.text, kind }),
      });
    },
    onSuccess: (body) => {
      setFailure(undefined);
      setSaved(`Captions saved: ${body.data.label}, ${body.data.cueCount} cues. Reload the page to see them in the player.`);
      void refresh();
    },
    onError: (error) => {
      setSaved(undefined);
      setFailure({ message: error instanceof Error ? error.message : "The upload failed.", issues: issuesOf(error) });
    },
  });
  const remove = useMutation({
    mutationFn: (language: string) => fetcher(`/api/v1/education/videos/${videoId}/captions/${encodeURIComponent(language)}`, { method: "DELETE" }),
    onSettled: () => void refresh(),
  });

  return (
    <section className="card stack" aria-labelledby="captions-heading">
      <h2 id="captions-heading" className="transcript-heading">
        Manage captions
      </h2>
      {tracks.length > 0 ? (
        <ul className="caption-tracks">
          {tracks.map((track) => (
            <li key={track.language}>
              {track.label} ({track.language}, {track.kind}, {track.cueCount} cues{track.reviewed || track.origin === "machine" ? "" : ", not reviewed"}){" "}
              {track.origin === "machine" && !track.reviewed ? <span className="badge">Machine · not reviewed</span> : null}{" "}
              <button type="button" className="button link" onClick={() => remove.mutate(track.language)} aria-label={`Remove captions ${track.label}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No captions yet.</p>
      )}
      {tracks.length > 0 ? (
        <div className="actions">
          {tracks.map((track) => (
            <button key={track.language} type="button" className="button secondary" onClick={() => onEdit(track.language)}>
              Edit captions {track.label}
            </button>
          ))}
        </div>
      ) : null}
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const file = form.get("caption-file");
          const language = String(form.get("caption-language") ?? "").trim();
          if (!(file instanceof File) || file.size === 0) return setFailure({ message: "Choose a WebVTT (.vtt) or SRT (.srt) file.", issues: [] });
          if (!language) return setFailure({ message: "Enter the captions' language, such as en or pt-BR.", issues: [] });
          upload.mutate({ file, language, kind: String(form.get("caption-kind") ?? "captions") });
        }}
      >
        <div className="field">
          <label htmlFor="caption-file">Caption file (WebVTT or SRT)</label>
          <input id="caption-file" name="caption-file" type="file" accept=".vtt,.srt,text/vtt,application/x-subrip" />
        </div>
        <TextField id="caption-language" label="Caption language" placeholder="en" />
        <SelectField
          id="caption-kind"
          label="Caption kind"
          options={[
            { value: "captions", label: "Captions (dialogue and sounds)" },
            { value: "subtitles", label: "Subtitles (translation)" },
          ]}
          defaultValue="captions"
        />
        <button type="submit" className="button" disabled={upload.isPending}>
          {upload.isPending ? "Uploading…" : "Upload captions"}
        </button>
      </form>
      <p role="status" className="muted">
        {saved ?? ""}
      </p>
      {failure ? (
        <div role="alert" className="alert">
          <p>{failure.message}</p>
          {failure.issues.length > 0 ? (
            <ul>
              {failure.issues.map((issue, index) => (
                <li key={index}>{issue.line === null ? issue.message : `Line ${issue.line}: ${issue.message}`}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
