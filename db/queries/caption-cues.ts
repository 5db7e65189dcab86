import "server-only";
import { eq } from "drizzle-orm";
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
