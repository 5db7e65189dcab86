import "server-only";
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { type CaptionTrack, captionTracks } from "@/db/schema";
import { replaceCaptionCues } from "./caption-cues";

type TrackValues = Pick<CaptionTrack, "label" | "kind" | "origin" | "reviewed" | "content" | "cueCount" | "updatedBy">;

/** A video's tracks without their WebVTT, by language. */
export async function selectCaptionTracks({ videoId, tx = db }: { videoId: string; tx?: Executor }) {
  const { content, ...columns } = getTableColumns(captionTracks);
  void content;
  return tx.select(columns).from(captionTracks).where(eq(captionTracks.videoId, videoId)).orderBy(asc(captionTracks.language));
}

export async function selectCaptionTrack({ videoId, language, tx = db }: { videoId: string; language: string; tx?: Executor }): Promise<CaptionTrack | undefined> {
  const [row] = await tx
    .select()
    .from(captionTracks)
    .where(and(eq(captionTracks.videoId, videoId), eq(captionTracks.language, language)))
    .limit(1);
  return row;
}

export async function selectCaptionTrackForUpdate({ videoId, language, tx }: { videoId: string; language: string; tx: Executor }): Promise<CaptionTrack | undefined> {
  const [row] = await tx
    .select()
    .from(captionTracks)
    .where(and(eq(captionTracks.videoId, videoId), eq(captionTracks.language, language)))
    .for("update")
    .limit(1);
  return row;
}

/** Inserts a track; undefined when one for the language appeared meanwhile. */
export async function insertCaptionTrack({ videoId, language, values, tx = db }: { videoId: string; language: string; values: TrackValues; tx?: Executor }) {
  const [row] = await tx
    .insert(captionTracks)
    .values({ videoId, language, ...values })
    .onConflictDoNothing({ target: [captionTracks.videoId, captionTracks.language] })
    .returning();
  if (row) await replaceCaptionCues({ track: row, tx });
  return row;
}

/** Replaces a track's file and details and bumps its version. */
export async function updateCaptionTrack({ id, values, tx = db }: { id: string; values: TrackValues; tx?: Executor }) {
  const [row] = await tx
    .update(captionTracks)
    .set({ ...values, version: sql`${captionTracks.version} + 1`, updatedAt: new Date() })
    .where(eq(captionTracks.id, id))
    .returning();
  if (row) await replaceCaptionCues({ track: row, tx });
  return row;
}

export async function deleteCaptionTrack({ videoId, language, tx = db }: { videoId: string; language: string; tx?: Executor }): Promise<boolean> {
  const rows = await tx
    .delete(captionTracks)
    .where(and(eq(captionTracks.videoId, videoId), eq(captionTracks.language, language)))
    .returning({ id: captionTracks.id });
  return rows.length > 0;
}
