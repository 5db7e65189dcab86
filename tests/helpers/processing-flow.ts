import type { createDatabase } from "@/db/client";
import { SEED } from "@/dev/seed";
import { getMedia } from "@/lib/videos/media";
import { uploadVideo } from "./upload-video";

export const instructor = { id: SEED.users.instructor.id };
export const courseId = SEED.courses.trading.id;

/** Uploads a file as the seeded instructor through the real flow, which queues its processing. */
export function uploadFile(file: string, title: string, contentType = "video/mp4", options: Pick<Parameters<typeof uploadVideo>[0], "beforeComplete"> = {}) {
  return uploadVideo({ actor: instructor, courseId, file, title, contentType, ...options });
}

export type ProcessingRow = {
  status: string;
  processing_stage: string | null;
  processing_error: string | null;
  processing_attempt: number;
  duration_seconds: number | null;
};

type Sql = ReturnType<typeof createDatabase>["sql"];

export async function processingRow(sql: Sql, videoId: string): Promise<ProcessingRow> {
  const [found] = await sql<ProcessingRow[]>`select status, processing_stage, processing_error, processing_attempt, duration_seconds from videos where id = ${videoId}`;
  if (!found) throw new Error(`no video ${videoId}`);
  return found;
}

/** Polls the video's processing columns until `done` holds. */
export async function waitForProcessing(sql: Sql, videoId: string, done: (row: ProcessingRow) => boolean, timeoutMs = 90_000): Promise<ProcessingRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await processingRow(sql, videoId);
    if (done(current)) return current;
    if (Date.now() > deadline) throw new Error(`video ${videoId} still ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until processing has finished (ready or failed for good). */
export function waitUntilProcessed(sql: Sql, videoId: string, timeoutMs = 90_000): Promise<ProcessingRow> {
  return waitForProcessing(sql, videoId, (current) => current.status === "ready" || current.status === "failed", timeoutMs);
}

/** A derived text file (playlist, WebVTT) as a course member gets it. */
export async function mediaText(videoId: string, file: string): Promise<string> {
  const media = await getMedia({ actor: instructor, videoId, path: file });
  if (media.kind !== "text") throw new Error(`expected text for ${file}, got ${media.kind}`);
  return media.body;
}

/** A derived binary file (poster, sprite), fetched from storage where the media route redirects. */
export async function mediaBytes(videoId: string, file: string): Promise<Uint8Array> {
  const media = await getMedia({ actor: instructor, videoId, path: file });
  if (media.kind !== "redirect") throw new Error(`expected a redirect for ${file}, got ${media.kind}`);
  return new Uint8Array(await (await fetch(media.url)).arrayBuffer());
}
