import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storage } from "@/lib/storage";
import { testDatabase } from "../helpers/db";
import { courseId, processingRow, uploadFile, waitForProcessing, waitUntilProcessed } from "../helpers/processing-flow";
import { makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-shutdown-test-${process.pid}`);
const work = { PROCESSING_TEMP_DIR: path.join(fixtures, "work") };
const GRACE_SECONDS = 3;
// The process's own exit (closing its pools, tsx's parent process) after the worker has stopped.
const EXIT_SLACK_MS = 1500;
const workers: WorkerProcess[] = [];
let longClip = "";
let shortClip = "";

const spawn = (env: Record<string, string> = {}) => {
  const worker = spawnWorker({ ...work, ...env });
  workers.push(worker);
  return worker;
};

async function jobOf(videoId: string) {
  const [job] = await sql<{ state: string; retry_count: number; waits: boolean }[]>`
    select j.state::text as state, j.retry_count, j.start_after > now() as waits from pgboss.job j join videos v on v.processing_job_id = j.id where v.id = ${videoId}`;
  return job;
}

/** SIGTERM, and how long the worker took to exit. */
async function terminate(worker: WorkerProcess) {
  const began = Date.now();
  await worker.stop();
  return { ms: Date.now() - began, code: worker.child.exitCode, signal: worker.child.signalCode };
}

beforeAll(async () => {
  await mkdir(work.PROCESSING_TEMP_DIR, { recursive: true });
  [longClip, shortClip] = await Promise.all([
    makeVideoFixture({ path: path.join(fixtures, "long.mp4"), seconds: 60, width: 1280, height: 720 }),
    makeVideoFixture({ path: path.join(fixtures, "short.mp4"), seconds: 2, width: 320, height: 240 }),
  ]);
});

afterAll(async () => {
  for (const worker of workers) await worker.kill();
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("graceful worker shutdown", () => {
  it("on SIGTERM hands a job it cannot finish back within the grace period; another worker finishes it", { timeout: 180_000 }, async () => {
    const first = spawn({ WORKER_SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) });
    const videoId = await uploadFile(longClip, "Outlives its worker");
    // Stopped while the ladder is encoded: its first rendition (the source remuxed) is already published.
    await waitForProcessing(sql, videoId, (current) => current.status === "playable" && current.processing_stage === "transcoding", 60_000);

    const { ms, code, signal } = await terminate(first);
    console.info(`worker shutdown with a job handed back: ${ms} ms (grace ${GRACE_SECONDS} s)`);
    expect({ code, signal }, first.output()).toEqual({ code: 0, signal: null });
    expect(ms, first.output()).toBeLessThan(GRACE_SECONDS * 1000 + EXIT_SLACK_MS);
    expect(first.output()).toContain("handed back to the queue");

    // Queued again at once (not a failed attempt's retry after its delay); nothing half published: the video plays
    // its published first rendition, and nothing of the unfinished ladder is in storage.
    expect(await jobOf(videoId)).toEqual({ state: "created", retry_count: 0, waits: false });
    const [video] = await sql<{ status: string; media_revision: number; versions: string[] }[]>`
      select status, media_revision, (select array_agg(v->>'name') from jsonb_array_elements(transcoded_versions) v) as versions from videos where id = ${videoId}`;
    expect(video).toEqual({ status: "playable", media_revision: 1, versions: ["720p"] });
    const stored = (await storage.listKeys({ prefix: `videos/${courseId}/${videoId}/r` })).map((key) => key.replace(/^.*\/r1\//, ""));
    expect(new Set(stored.map((key) => key.split("/").slice(0, 2).join("/")))).toEqual(new Set(["poster.jpg", "hls/720p", "hls/audio", "hls/master.m3u8"]));
    expect((await processingRow(sql, videoId)).processing_stage).toBe("retrying");

    const second = spawn();
    const done = await waitUntilProcessed(sql, videoId, 150_000);
    // pg-boss counts every fetch of a job started before as an attempt: the interrupted run was one.
    expect(done, first.output() + second.output()).toMatchObject({ status: "ready", processing_attempt: 2, processing_error: null });
    expect(await jobOf(videoId)).toBeUndefined(); // published: the video no longer names a job
    await terminate(second);
  });

  it("on SIGTERM finishes a job that fits in the grace period, then exits 0", { timeout: 120_000 }, async () => {
    const worker = spawn({ WORKER_SHUTDOWN_GRACE_SECONDS: "60" });
    const videoId = await uploadFile(shortClip, "Finished before exit");
    await waitForProcessing(sql, videoId, (current) => current.processing_stage === "transcoding", 60_000);
    const { ms, code } = await terminate(worker);
    console.info(`worker shutdown finishing its job: ${ms} ms`);
    expect(code, worker.output()).toBe(0);
    expect(await processingRow(sql, videoId), worker.output()).toMatchObject({ status: "ready", processing_attempt: 1 });
    expect(worker.output()).not.toContain("handed back");
  });
});
