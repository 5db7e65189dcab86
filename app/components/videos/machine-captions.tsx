"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import type { VideoDto } from "@/lib/videos/dto";

/** A machine-captions run still under way: the video page polls while one is. */
export const isTranscribing = (video: Pick<VideoDto, "transcription">) => video.transcription?.status === "queued" || video.transcription?.status === "running";

function statusText(transcription: VideoDto["transcription"]): string {
  if (!transcription) return "No machine captions have been generated for this video.";
  switch (transcription.status) {
    case "queued":
      return transcription.error ? `Machine captions: queued again. ${transcription.error}` : "Machine captions: queued.";
    case "running":
      return "Machine captions: being generated…";
    case "failed":
      return `Machine captions failed: ${transcription.error ?? "no reason was recorded."}`;
    case "done":
      return "Machine captions: done. They are marked “Machine · not reviewed” until someone reviews them.";
  }
}

/** Staff ask the transcription server for captions and follow the run; without TRANSCRIPTION_URL, how to turn it on. */
export function MachineCaptions({ video, enabled }: { video: VideoDto; enabled: boolean }) {
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const status = video.transcription?.status;
  const previous = useRef(status);
  useEffect(() => {
    // A run that just finished brought a track: the caption list and the player show it.
    if (previous.current !== status && status === "done") void queryClient.invalidateQueries({ queryKey: queryKeys.captions(video.id) });
    previous.current = status;
  }, [status, video.id, queryClient]);
  const generate = useMutation({
    mutationFn: () => fetcher<{ data: VideoDto }>(`/api/v1/education/videos/${video.id}/captions/generate`, { method: "POST" }),
    onMutate: () => setFailure(undefined),
    onSuccess: ({ data }) => queryClient.setQueryData(queryKeys.video(video.id), data),
    onError: (error) => setFailure(error instanceof Error ? error.message : "The captions could not be queued."),
  });

  if (!enabled) {
    return (
      <section className="card stack" aria-labelledby="machine-captions-heading">
        <h2 id="machine-captions-heading" className="transcript-heading">
          Machine captions
        </h2>
        <p>
          Machine captions are off on this server. To turn them on, set <code>TRANSCRIPTION_URL</code> to an OpenAI-compatible transcription server (such
          as whisper.cpp&apos;s or faster-whisper&apos;s; <code>TRANSCRIPTION_API_KEY</code> for a hosted one) for the app and the worker, and restart
          them.
        </p>
      </section>
    );
  }
  return (
    <section className="card stack" aria-labelledby="machine-captions-heading">
      <h2 id="machine-captions-heading" className="transcript-heading">
        Machine captions
      </h2>
      <p role="status" className={status === "failed" ? "alert" : "muted"}>
        {statusText(video.transcription)}
      </p>
      <button type="button" className="button" disabled={generate.isPending || isTranscribing(video) || !video.playback.watchable} onClick={() => generate.mutate()}>
        {generate.isPending ? "Queuing…" : "Generate captions"}
      </button>
      {!video.playback.watchable ? <p className="muted">Captions can be generated once the video plays.</p> : null}
      {failure ? (
        <p role="alert" className="alert">
          {failure}
        </p>
      ) : null}
    </section>
  );
}
