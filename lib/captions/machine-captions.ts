import "server-only";
import { db, type Transaction } from "@/db";
import { insertCaptionTrack, selectCaptionTrackForUpdate, selectCaptionTracks, updateCaptionTrack } from "@/db/queries/caption-tracks";
import { selectVideoForUpdate, updateVideoTranscription } from "@/db/queries/videos";
import type { Video } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { enqueueTranscription } from "@/lib/queue";
import { type Actor, authorize, loadVideo } from "@/lib/videos/access";
import { toVideoDto, type VideoDto } from "@/lib/videos/dto";
import { isWatchable } from "@/lib/videos/status";
import { defaultLabel } from "./captions";
import { canonicalLanguage } from "./schemas";

/** Machine captions are on when TRANSCRIPTION_URL names a transcription server. */
export const transcriptionEnabled = () => Boolean(env.TRANSCRIPTION_URL);

export const TRANSCRIPTION_OFF_MESSAGE =
  "Machine captions are off on this server: set TRANSCRIPTION_URL to an OpenAI-compatible transcription server (such as whisper.cpp's or faster-whisper's) and restart the app and the worker.";

/** The track a run writes: the video's language when its details state one, else `und` (undetermined). */
export function transcriptionLanguage(video: Pick<Video, "metadata">): string {
  const stated = video.metadata.language;
  return (typeof stated === "string" && canonicalLanguage(stated)) || "und";
}

const isActive = (video: Pick<Video, "transcriptionStatus">) => video.transcriptionStatus === "queued" || video.transcriptionStatus === "running";

/** Whether a person's track (uploaded or edited) holds the language: machine captions never replace it. */
async function personTrackFor({ video, tx }: { video: Video; tx: Transaction }) {
  const language = transcriptionLanguage(video);
  const track = (await selectCaptionTracks({ videoId: video.id, tx })).find((candidate) => candidate.language === language);
  return track && track.origin !== "machine" ? track : undefined;
}

async function queueRun({ video, tx }: { video: Video; tx: Transaction }): Promise<Video> {
  const updated = await updateVideoTranscription({ videoId: video.id, set: { transcriptionStatus: "queued", transcriptionError: null }, tx });
  if (!updated) throw AppError.notFound("Video not found.");
  await enqueueTranscription({ tx, videoId: video.id });
  return updated;
}

/**
 * Called in the transaction that publishes a video's renditions: with machine captions on, queues a transcription
 * unless one is already queued or running, or a person's track holds the video's language. It never fails the publish.
 */
export async function queueTranscriptionAfterPublish({ video, tx }: { video: Video; tx: Transaction }): Promise<void> {
  if (!transcriptionEnabled() || isActive(video) || (await personTrackFor({ video, tx }))) return;
  await queueRun({ video, tx });
}

/**
 * "Generate captions": staff queue a machine transcription of a watchable video (409 while one is queued or running).
 * A playable one qualifies: the run transcribes the video's source, whose audio is final once it plays (the renditions
 * still being encoded change the picture's quality, never the sound).
 */
export async function requestTranscription({ actor, videoId }: { actor: Actor; videoId: string }): Promise<VideoDto> {
  const { role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "generateCaptions" });
  if (!transcriptionEnabled()) throw new AppError("transcription_disabled", TRANSCRIPTION_OFF_MESSAGE, { status: 409 });
  return db.transaction(async (tx) => {
    const video = await selectVideoForUpdate({ videoId, tx });
    if (!video) throw AppError.notFound("Video not found.");
    // The message predates playable videos (clients match it); a playable one qualifies too.
    if (!isWatchable(video.status)) {
      throw new AppError("conflict", "Captions can be generated once the video is ready.", { details: { status: video.status } });
    }
    if (isActive(video)) {
      throw new AppError("conflict", `Machine captions are already ${video.transcriptionStatus === "queued" ? "queued" : "being generated"} for this video.`, {
        details: { transcription: video.transcriptionStatus },
      });
    }
    const person = await personTrackFor({ video, tx });
    if (person) {
      throw new AppError(
        "conflict",
        `The ${person.label} captions were ${person.origin === "edited" ? "edited" : "uploaded"} by a person; machine captions never replace them. Remove them first to generate new ones.`,
        { details: { language: person.language, origin: person.origin } },
      );
    }
    return toVideoDto(await queueRun({ video, tx }));
  });
}

/** A run's outcome that makes the track not worth storing: the job fails with this reason, without retries. */
export class TranscriptionRefusedError extends Error {
  override readonly name = "TranscriptionRefusedError";
}

/**
 * Stores a run's WebVTT as the language's `machine`, unreviewed track (a previous machine track is replaced) and
 * marks the run done, in one transaction. A person's track that appeared meanwhile is kept: the run is refused.
 */
export async function storeMachineTrack({ videoId, language, webvtt, cueCount }: { videoId: string; language: string; webvtt: string; cueCount: number }) {
  await db.transaction(async (tx) => {
    const existing = await selectCaptionTrackForUpdate({ videoId, language, tx });
    if (existing && existing.origin !== "machine") {
      throw new TranscriptionRefusedError(`The ${existing.label} captions were ${existing.origin} by a person meanwhile; they were kept and the machine captions dropped.`);
    }
    const values = { content: webvtt, cueCount, origin: "machine" as const, reviewed: false, updatedBy: null };
    if (existing) await updateCaptionTrack({ id: existing.id, values: { ...values, label: existing.label, kind: existing.kind }, tx });
    else {
      const row = await insertCaptionTrack({ videoId, language, values: { ...values, label: language === "und" ? "Machine captions (language not set)" : defaultLabel(language), kind: "captions" }, tx });
      if (!row) throw new Error("A caption track for the language appeared meanwhile.");
    }
    await updateVideoTranscription({ videoId, set: { transcriptionStatus: "done", transcriptionError: null }, tx });
  });
}

export async function markTranscription({ videoId, status, error }: { videoId: string; status: "running" | "queued" | "failed"; error?: string | null }) {
  await updateVideoTranscription({ videoId, set: { transcriptionStatus: status, transcriptionError: error ?? null } });
}
