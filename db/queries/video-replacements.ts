import "server-only";
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { type VideoReplacement, videoReplacements, videoUploadParts } from "@/db/schema";
import { activeReplacementStatuses, type ReplacementStatus } from "@/lib/videos/status";

type NewReplacement = typeof videoReplacements.$inferInsert;

export async function insertReplacement({ values, tx = db }: { values: NewReplacement; tx?: Executor }): Promise<VideoReplacement> {
  const [row] = await tx.insert(videoReplacements).values(values).returning();
  if (!row) throw new Error("insert into video_replacements returned no row");
  return row;
}

/** The video's replacement being uploaded or processed, if any (at most one: a partial unique index). */
export async function selectActiveReplacement({ videoId, tx = db }: { videoId: string; tx?: Executor }): Promise<VideoReplacement | undefined> {
  const [row] = await tx
    .select()
    .from(videoReplacements)
    .where(and(eq(videoReplacements.videoId, videoId), inArray(videoReplacements.status, [...activeReplacementStatuses])))
    .limit(1);
  return row;
}

/** The video's most recent replacement, whatever became of it. */
export async function selectLatestReplacement({ videoId, tx = db }: { videoId: string; tx?: Executor }): Promise<VideoReplacement | undefined> {
  const [row] = await tx
    .select()
    .from(videoReplacements)
    .where(eq(videoReplacements.videoId, videoId))
    .orderBy(desc(videoReplacements.createdAt))
    .limit(1);
  return row;
}

/** Moves a replacement on, only from the status given (undefined when it was not in it). */
export async function updateReplacement({
  replacementId,
  from,
  set,
  tx = db,
}: {
  replacementId: string;
  from: ReplacementStatus;
  set: Partial<Omit<NewReplacement, "id" | "videoId">>;
  tx?: Executor;
}): Promise<VideoReplacement | undefined> {
  const [row] = await tx
    .update(videoReplacements)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(videoReplacements.id, replacementId), eq(videoReplacements.status, from)))
    .returning();
  return row;
}

export async function touchReplacementActivity({ replacementId, tx = db }: { replacementId: string; tx?: Executor }) {
  await tx.update(videoReplacements).set({ uploadActivityAt: sql`now()` }).where(eq(videoReplacements.id, replacementId));
}

/** Forgets the parts recorded for the video's earlier upload: a replacement records its own in the same table. */
export async function clearUploadParts({ videoId, tx = db }: { videoId: string; tx?: Executor }) {
  await tx.delete(videoUploadParts).where(eq(videoUploadParts.videoId, videoId));
}

/** Replacement uploads with no part activity since `before` (abandoned: the sweeper aborts them). */
export async function selectStaleReplacements({ before, limit, tx = db }: { before: Date; limit: number; tx?: Executor }) {
  return tx
    .select({ id: videoReplacements.id, videoId: videoReplacements.videoId })
    .from(videoReplacements)
    .where(and(eq(videoReplacements.status, "uploading"), lt(videoReplacements.uploadActivityAt, before)))
    .orderBy(asc(videoReplacements.uploadActivityAt))
    .limit(limit);
}

export async function selectReplacement({ replacementId, tx = db }: { replacementId: string; tx?: Executor }): Promise<VideoReplacement | undefined> {
  const [row] = await tx.select().from(videoReplacements).where(eq(videoReplacements.id, replacementId)).limit(1);
  return row;
}
