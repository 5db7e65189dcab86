import "server-only";
import { db } from "@/db";
import { selectVideoChapters, selectVideoChaptersForUpdate, upsertVideoChapters } from "@/db/queries/video-chapters";
import type { VideoChapters } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, authorize, loadVideo } from "@/lib/videos/access";
import { type ChapterInput, type ChaptersDto, chaptersPastEnd, chaptersWebVtt } from "./chapters";

const chaptersPath = (videoId: string) => `/api/v1/education/videos/${videoId}/chapters`;

const toDto = (videoId: string, row: Pick<VideoChapters, "chapters" | "version"> | undefined): ChaptersDto => ({
  chapters: row?.chapters ?? [],
  version: row?.version ?? 0,
  vttUrl: `${chaptersPath(videoId)}?format=vtt`,
});

export async function getChapters({ actor, videoId }: { actor: Actor; videoId: string }): Promise<ChaptersDto> {
  const { video } = await loadVideo({ actor, videoId });
  return toDto(video.id, await selectVideoChapters({ videoId: video.id }));
}

/** The chapters as a WebVTT chapters track (no cues while there are none). */
export async function getChaptersWebVtt({ actor, videoId }: { actor: Actor; videoId: string }): Promise<string> {
  const { video } = await loadVideo({ actor, videoId });
  const row = await selectVideoChapters({ videoId: video.id });
  return chaptersWebVtt(row?.chapters ?? [], video.durationSeconds ?? 0);
}

/**
 * Replaces a video's chapters (owners, instructors, editors: the caption rule). Each must start before the video's
 * end; with `version`, only over that version (0: only while there are none), else 409 with the current ones.
 */
export async function putChapters({ actor, videoId, input }: { actor: Actor; videoId: string; input: { chapters: ChapterInput[]; version?: number } }): Promise<ChaptersDto> {
  const { video, role, archived } = await loadVideo({ actor, videoId });
  authorize({ role, archived, action: "editCaptions" });
  if (video.durationSeconds === null) throw new AppError("conflict", "Chapters can be set once the video is processed and its duration is known.");
  const fieldErrors = chaptersPastEnd(input.chapters, video.durationSeconds);
  if (Object.keys(fieldErrors).length > 0) throw AppError.validation("Some chapters are past the video's end.", { fieldErrors });
  const written = await db.transaction(async (tx) => {
    const current = await selectVideoChaptersForUpdate({ videoId: video.id, tx });
    if (input.version !== undefined && (current?.version ?? 0) !== input.version) return { conflict: current };
    return { row: await upsertVideoChapters({ videoId: video.id, chapters: input.chapters, updatedBy: actor.id, tx }) };
  });
  if ("conflict" in written) {
    throw new AppError("conflict", "Someone else changed these chapters meanwhile. Review their version and apply yours again.", {
      details: { current: toDto(video.id, written.conflict) },
    });
  }
  return toDto(video.id, written.row);
}
