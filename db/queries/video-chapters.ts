import "server-only";
import { eq, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { type Chapter, type VideoChapters, videoChapters } from "@/db/schema";

export async function selectVideoChapters({ videoId, tx = db }: { videoId: string; tx?: Executor }): Promise<VideoChapters | undefined> {
  const [row] = await tx.select().from(videoChapters).where(eq(videoChapters.videoId, videoId)).limit(1);
  return row;
}

export async function selectVideoChaptersForUpdate({ videoId, tx }: { videoId: string; tx: Executor }): Promise<VideoChapters | undefined> {
  const [row] = await tx.select().from(videoChapters).where(eq(videoChapters.videoId, videoId)).for("update").limit(1);
  return row;
}

/** Writes a video's chapters and bumps their version (1 for the first write). */
export async function upsertVideoChapters({ videoId, chapters, updatedBy, tx = db }: { videoId: string; chapters: Chapter[]; updatedBy: string; tx?: Executor }) {
  const [row] = await tx
    .insert(videoChapters)
    .values({ videoId, chapters, updatedBy })
    .onConflictDoUpdate({ target: videoChapters.videoId, set: { chapters, updatedBy, version: sql`${videoChapters.version} + 1`, updatedAt: new Date() } })
    .returning();
  if (!row) throw new Error("upsert into video_chapters returned no row");
  return row;
}
