import "server-only";
import { createWriteStream, openAsBlob } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { selectVideo } from "@/db/queries/videos";
import { readCaptionFile } from "@/lib/captions/caption-file";
import { markTranscription, storeMachineTrack, TranscriptionRefusedError, transcriptionLanguage } from "@/lib/captions/machine-captions";
import type { Storage } from "@/lib/storage";
import { type Binaries, FfmpegError, runFfmpeg } from "./ffmpeg";
import { isWatchable } from "@/lib/videos/status";
import { acceptedDemuxer, untrustedInputArgs } from "./probe";

export type TranscriptionSettings = {
  /** TRANSCRIPTION_URL: the server's base URL, or its full /v1/audio/transcriptions endpoint. */
  url: string;
  apiKey?: string;
  model: string;
};

export type TranscriptionContext = { binaries: Binaries; storage: Storage; tempDir: string; stallMs: number; settings: TranscriptionSettings };

const ENDPOINT_PATH = "/v1/audio/transcriptions";

/** TRANSCRIPTION_URL holds the base (http://whisper:8080); a URL that already ends in the endpoint's path is kept. */
export function transcriptionEndpoint(url: string): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith(ENDPOINT_PATH) ? base : `${base}${ENDPOINT_PATH}`;
}

/** A failure worth another attempt (the server down, overloaded, timing out); anything else fails at once. */
export class TranscriptionServerError extends Error {
  override readonly name = "TranscriptionServerError";
}

/** The ffmpeg arguments for the audio a transcription server wants: 16 kHz mono 16-bit PCM WAV, no video. */
export function audioArgs({ input, demuxer, output }: { input: string; demuxer?: ReturnType<typeof acceptedDemuxer>; output: string }): string[] {
  return [...untrustedInputArgs({ input, demuxer }), "-map", "0:a:0", "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav", "-y", output];
}

function probeOf(metadata: Record<string, unknown>): { container?: string; hasAudio: boolean } {
  const probe = metadata.probe;
  if (!probe || typeof probe !== "object") return { hasAudio: true };
  const container = "container" in probe && typeof probe.container === "string" ? probe.container : undefined;
  const hasAudio = !("audio" in probe) || probe.audio !== null;
  return { container, hasAudio };
}

/**
 * One run of machine captions for a watchable video (playable or ready: the source's audio is final either way): its published source from storage to a temp file, ffmpeg to 16 kHz
 * mono WAV beside it, the WAV posted (streamed from disk) to the transcription server asking for WebVTT in the video's
 * language, the answer checked by our WebVTT parser and stored as a `machine`, unreviewed track. "skipped" when the
 * video is gone or not watchable. Throws TranscriptionServerError to retry, TranscriptionRefusedError to fail at once.
 */
export async function transcribeVideo({ context, videoId, signal }: { context: TranscriptionContext; videoId: string; signal?: AbortSignal }): Promise<"done" | "skipped"> {
  const video = await selectVideo({ videoId });
  if (!video || video.deletedAt || !isWatchable(video.status)) return "skipped";
  const { container, hasAudio } = probeOf(video.metadata);
  if (!hasAudio) throw new TranscriptionRefusedError("The video has no sound to transcribe.");
  await markTranscription({ videoId, status: "running" });
  const language = transcriptionLanguage(video);
  const workDir = await mkdtemp(path.join(context.tempDir, `lectern-${videoId}-captions-`));
  try {
    const source = path.join(workDir, "source");
    const audio = path.join(workDir, "audio.wav");
    const object = await context.storage.getObjectStream({ key: video.storageKey });
    await pipeline(object.body, createWriteStream(source), signal ? { signal } : {});
    const durationSeconds = video.durationSeconds ?? 0;
    await runFfmpeg({
      binary: context.binaries.ffmpeg,
      args: audioArgs({ input: source, demuxer: container ? acceptedDemuxer(container) : undefined, output: audio }),
      timeoutMs: Math.round(120_000 + durationSeconds * 2_000),
      stallMs: context.stallMs,
      signal,
    });
    await rm(source, { force: true });
    const webvtt = await requestWebVtt({ settings: context.settings, audio, language, durationSeconds, signal });
    const checked = readCaptionFile({ content: webvtt, format: "vtt", durationSeconds: video.durationSeconds });
    if (!checked.ok) {
      const first = checked.errors[0];
      throw new TranscriptionRefusedError(
        `The transcription server's answer is not valid WebVTT${first ? ` (${first.line === null ? "" : `line ${first.line}: `}${first.message})` : ""}.`,
      );
    }
    if (checked.file.cues.length === 0) throw new TranscriptionRefusedError("The transcription server found no speech in the video.");
    await storeMachineTrack({ videoId, language, webvtt: checked.file.webvtt, cueCount: checked.file.cues.length });
    return "done";
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function requestWebVtt({
  settings,
  audio,
  language,
  durationSeconds,
  signal,
}: {
  settings: TranscriptionSettings;
  audio: string;
  language: string;
  durationSeconds: number;
  signal?: AbortSignal;
}): Promise<string> {
  const form = new FormData();
  // A file-backed Blob: fetch streams it from disk, the audio is never whole in memory.
  form.append("file", await openAsBlob(audio, { type: "audio/wav" }), "audio.wav");
  form.append("model", settings.model);
  form.append("response_format", "vtt");
  if (language !== "und") form.append("language", language.split("-")[0] ?? language);
  // Whisper runs at a few times real time on a CPU: give it the video's length twice over, and at least 5 minutes.
  const timeout = AbortSignal.timeout(Math.round(300_000 + durationSeconds * 2_000));
  let response: Response;
  try {
    response = await fetch(transcriptionEndpoint(settings.url), {
      method: "POST",
      body: form,
      headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "did not answer in time" : "could not be reached";
    throw new TranscriptionServerError(`The transcription server ${reason} (${transcriptionEndpoint(settings.url)}).`);
  }
  const body = await response.text();
  if (!response.ok) {
    const detail = body.replace(/\s+/g, " ").trim().slice(0, 200);
    const message = `The transcription server answered ${response.status}${detail ? `: ${detail}` : ""}.`;
    // Its refusals (bad request, bad key, unknown model) will not change on a retry; overload and outages may.
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new TranscriptionRefusedError(message);
    throw new TranscriptionServerError(message);
  }
  return body;
}

/** What staff read when a run fails, and whether another attempt could help. */
export function describeTranscriptionFailure(error: unknown): { message: string; retryable: boolean } {
  if (error instanceof TranscriptionRefusedError) return { message: error.message, retryable: false };
  if (error instanceof TranscriptionServerError) return { message: error.message, retryable: true };
  if (error instanceof FfmpegError) return { message: `The audio could not be extracted from the video (${error.message}).`, retryable: error.reason !== "exit" };
  return { message: "An internal error interrupted the transcription (the worker's log has the details).", retryable: true };
}
