import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { completeUpload, initUpload } from "@/lib/videos/uploads";

/** Uploads a file through the real flow (init → PUT to presigned URLs → complete), which queues its processing. */
export async function uploadVideo({
  actor,
  courseId,
  file,
  title,
  contentType = "video/mp4",
  beforeComplete,
}: {
  actor: { id: string };
  courseId: string;
  file: string;
  title: string;
  contentType?: string;
  /** Runs once the source's key is known, before complete queues its processing (e.g. to set a store fault on it). */
  beforeComplete?: (upload: { videoId: string; storageKey: string }) => Promise<void>;
}) {
  const { size } = await stat(file);
  const init = await initUpload({ actor, input: { courseId, filename: path.basename(file), fileSize: size, contentType, metadata: { title } } });
  const data = await readFile(file);
  const parts = [];
  for (const part of init.parts) {
    const body = data.subarray((part.partNumber - 1) * init.partSize, part.partNumber * init.partSize);
    const response = await fetch(part.url, { method: "PUT", body });
    expect(response.status).toBe(200);
    parts.push({ partNumber: part.partNumber, etag: response.headers.get("etag") ?? "" });
  }
  await beforeComplete?.({ videoId: init.videoId, storageKey: init.storageKey });
  const video = await completeUpload({ actor, videoId: init.videoId, parts });
  expect(video.status).toBe("uploaded");
  return init.videoId;
}
