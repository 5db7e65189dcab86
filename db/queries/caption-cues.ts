import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type CaptionTrack, captionCues } from "@/db/schema";
import { transcriptLines } from "@/lib/captions/transcript";

const CUES_PER_INSERT = 1000;

/**
 * The track's cues as the search's rows (caption_cues), replaced whenever its WebVTT is written. Callers write the
 * track in a transaction (the upload does), so the track and its cues change together.
 */
export async function replaceCaptionCues({ track, tx }: { track: Pick<CaptionTrack, "id" | "videoId" | "content">; tx: Executor }) {
  await tx.delete(captionCues).where(eq(captionCues.trackId, track.id));
  const rows = transcriptLines(track.content).map((line, position) => ({
    trackId: track.id,
    videoId: track.videoId,
    position,
    startSeconds: line.start,
    endSeconds: line.end,
    text: line.text,
  }));
  for (let from = 0; from < rows.length; from += CUES_PER_INSERT) await tx.insert(captionCues).values(rows.slice(from, from + CUES_PER_INSERT));
}

/** Indexes the cues of tracks stored before caption_cues existed (run after the migrations; a no-op afterwards). */
export async function indexUnindexedCaptionTracks({ tx }: { tx: Executor }): Promise<number> {
  const tracks = await tx.execute(sql`
    select t.id, t.video_id as "videoId", t.content from caption_tracks t
    where t.cue_count > 0 and not exists (select 1 from caption_cues c where c.track_id = t.id)`);
  for (const track of tracks as unknown as Pick<CaptionTrack, "id" | "videoId" | "content">[]) await replaceCaptionCues({ track, tx });
  return tracks.length;
}
