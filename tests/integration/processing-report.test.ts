import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { SEED } from "@/dev/seed";
import { applyProcessingReport } from "@/lib/videos/processing-state";
import { processingStatusSchema } from "@/lib/videos/schemas";
import { updateVideoMetadata } from "@/lib/videos/videos";
import { initUpload } from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";

const instructor = { id: SEED.users.instructor.id };
const editor = { id: SEED.users.editor.id };
const courseId = SEED.courses.trading.id;
const { sql, close } = testDatabase();

afterAll(async () => {
  await close();
});

type Row = { status: string; version: number; processing_job_id: string | null; processing_stage: string | null; processing_progress_percent: number };

async function row(videoId: string): Promise<Row> {
  const [found] = await sql<Row[]>`select status, version, processing_job_id, processing_stage, processing_progress_percent from videos where id = ${videoId}`;
  if (!found) throw new Error(`no video ${videoId}`);
  return found;
}

async function uploading(title: string) {
  const init = await initUpload({ actor: instructor, input: { courseId, filename: `${title}.mp4`, fileSize: 1000, contentType: "video/mp4", metadata: { title } } });
  return init.videoId;
}

/** An uploaded video waiting for processing, with no job in the queue (so no worker of another test takes it). */
async function uploaded(title: string) {
  const videoId = await uploading(title);
  await sql`update videos set status = 'uploaded', uploaded_at = now(), processing_stage = 'queued' where id = ${videoId}`;
  return videoId;
}

/** What the route does with the request body: parse it, then apply it. */
const report = (videoId: string, body: Record<string, unknown>) => applyProcessingReport({ videoId, input: processingStatusSchema.parse(body) });

const outputs = {
  durationSeconds: 12.5,
  cdnUrl: "https://cdn.example.com/v/master.m3u8",
  thumbnailUrl: "https://cdn.example.com/v/poster.jpg",
  transcodedVersions: [{ name: "720p", width: 1280, height: 720, bitrate: 2_800_000, playlistKey: "v/720p/index.m3u8" }],
};

describe("processing-status reports follow the worker's rules", () => {
  it("claim, progress and publish never change the version: an editor's edit made meanwhile never gets 409", async () => {
    const videoId = await uploaded("external");
    const { version } = await row(videoId);
    const jobId = randomUUID();

    await report(videoId, { status: "processing", jobId });
    expect(await row(videoId)).toMatchObject({ status: "processing", processing_job_id: jobId, version });
    await report(videoId, { status: "processing", jobId, stage: "transcoding", progressPercent: 40 });
    expect(await row(videoId)).toMatchObject({ processing_stage: "transcoding", processing_progress_percent: 40, version });

    const edited = await updateVideoMetadata({ actor: editor, videoId, input: { description: "Edited while processing", tags: ["kept"], version } });
    const ready = await report(videoId, { status: "ready", jobId, ...outputs, metadata: { probe: { codec: "h264" }, tags: ["from the processor"] } });
    expect(ready).toMatchObject({ status: "ready", version: edited.version, description: "Edited while processing", metadata: { tags: ["kept"] } });
    expect(ready.cdnUrl).toBe(outputs.cdnUrl);
  });

  it("never completes an upload: uploading → uploaded is refused, and an open upload cannot be claimed", async () => {
    const videoId = await uploading("still-uploading");
    for (const status of ["uploaded", "processing", "ready", "aborted"]) {
      const body = status === "ready" ? { status, ...outputs } : { status };
      await expect(report(videoId, body), status).rejects.toMatchObject({ status: 409 });
    }
    expect(await row(videoId)).toMatchObject({ status: "uploading", processing_job_id: null });
  });

  it("respects the job that owns the video: others can neither claim it nor publish or fail it", async () => {
    const videoId = await uploaded("owned");
    const owner = randomUUID();
    await report(videoId, { status: "processing", jobId: owner });
    const intruder = randomUUID();
    await expect(report(videoId, { status: "processing", jobId: intruder })).rejects.toMatchObject({ status: 409, code: "conflict" });
    await expect(report(videoId, { status: "ready", jobId: intruder, ...outputs })).rejects.toMatchObject({ status: 409 });
    await expect(report(videoId, { status: "failed", jobId: intruder, error: "no" })).rejects.toMatchObject({ status: 409 });
    expect(await row(videoId)).toMatchObject({ status: "processing", processing_job_id: owner });

    // The owner's final failure is the worker's: failed with the reason, the job let go; a later ready is refused.
    const failed = await report(videoId, { status: "failed", jobId: owner, error: "The codec is not supported." });
    expect(failed).toMatchObject({ status: "failed", processing: { error: "The codec is not supported.", stage: null } });
    await expect(report(videoId, { status: "ready", jobId: owner, ...outputs })).rejects.toMatchObject({ status: 409 });
  });

  it("a ready report needs the outputs", () => {
    const parsed = processingStatusSchema.safeParse({ status: "ready" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(["durationSeconds", "cdnUrl", "thumbnailUrl", "transcodedVersions"]);
  });
});
