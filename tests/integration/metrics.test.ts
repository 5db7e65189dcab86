import { mkdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrapeMetrics } from "@/lib/metrics/scrape";
import { abortUpload, initUpload } from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";
import { courseId, instructor, uploadFile, waitUntilProcessed } from "../helpers/processing-flow";
import { makeTextFixture, makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-metrics-test-${process.pid}`);
let worker: WorkerProcess | undefined;

/** The value of one sample (`name` or `name{labels}` exactly as exposed), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

beforeAll(async () => {
  await mkdir(path.join(fixtures, "work"), { recursive: true });
});

afterAll(async () => {
  await worker?.stop();
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("metrics", () => {
  it("counts uploads, processing runs and failures of every process, and sees the queue and the workers", { timeout: 150_000 }, async () => {
    const before = (await scrapeMetrics()).body;
    worker = spawnWorker({ PROCESSING_TEMP_DIR: path.join(fixtures, "work") });
    const clip = await makeVideoFixture({ path: path.join(fixtures, "clip.mp4"), seconds: 2, width: 320, height: 240 });
    const notes = await makeTextFixture(path.join(fixtures, "notes.mp4"));
    const ready = await uploadFile(clip, "Counted");
    const failed = await uploadFile(notes, "Not a video");
    const abandoned = await initUpload({ actor: instructor, input: { courseId, filename: "x.mp4", fileSize: 1000, contentType: "video/mp4", metadata: { title: "Aborted" } } });
    await abortUpload({ actor: instructor, videoId: abandoned.videoId });
    expect(await waitUntilProcessed(sql, ready), worker.output()).toMatchObject({ status: "ready" });
    expect(await waitUntilProcessed(sql, failed), worker.output()).toMatchObject({ status: "failed" });

    const { body: after, contentType } = await scrapeMetrics();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    // Other test files share the database and count too: at least our events (exactly, when run alone).
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved("lectern_uploads_started_total")).toBeGreaterThanOrEqual(3);
    expect(moved("lectern_uploads_completed_total")).toBeGreaterThanOrEqual(2);
    expect(moved("lectern_uploads_aborted_total")).toBeGreaterThanOrEqual(1);
    expect(moved("lectern_uploaded_bytes_total")).toBeGreaterThanOrEqual((await stat(clip)).size + (await stat(notes)).size);
    expect(moved("lectern_processing_duration_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(moved('lectern_processing_duration_seconds_bucket{le="+Inf"}')).toBe(moved("lectern_processing_duration_seconds_count"));
    expect(moved("lectern_processing_duration_seconds_sum")).toBeGreaterThan(0);
    expect(moved('lectern_processing_failures_total{reason="not-a-video"}')).toBeGreaterThanOrEqual(1);
    expect(after).toContain('lectern_processing_failures_total{reason="worker-lost"}');
    expect(sample(after, 'lectern_queue_jobs{queue="process-video",state="active"}')).toBe(0);
    expect(after).toMatch(/^lectern_queue_jobs\{queue="sweep",state="created"\} \d+$/m);
    // The running worker's heartbeat, a few seconds old at most; and this process's own Node.js metrics.
    const ours = `:${worker.child.pid}:`;
    const beat = new RegExp(`^lectern_worker_last_heartbeat_timestamp_seconds\\{worker="[^"]*${ours}[^"]*",host="[^"]+"\\} ([\\d.e+]+)$`, "m").exec(after);
    expect(beat, after).not.toBeNull();
    expect(Date.now() / 1000 - Number(beat?.[1])).toBeLessThan(10);
    expect(after).toContain("process_cpu_user_seconds_total");
    expect(after).toContain("# TYPE lectern_upload_complete_duration_seconds histogram");

    // A worker that stopped cleanly is gone from the scrape.
    await worker.stop();
    worker = undefined;
    expect((await scrapeMetrics()).body).not.toMatch(new RegExp(`^lectern_worker_last_heartbeat_timestamp_seconds\\{worker="[^"]*${ours}`, "m"));
  });
});
