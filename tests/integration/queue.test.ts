import { randomUUID } from "node:crypto";
import path from "node:path";
import os from "node:os";
import { mkdir, rm } from "node:fs/promises";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "@/db";
import { enqueueProcessing, queueSettings } from "@/lib/queue";
import { PROCESS_VIDEO_QUEUE, startBoss, transactionExecutor } from "@/lib/queue/boss";
import { courseId, instructor } from "../helpers/processing-flow";
import { testDatabase } from "../helpers/db";
import { uploadVideo } from "../helpers/upload-video";
import { makeVideoFixture } from "../helpers/video-fixtures";

const { sql, close } = testDatabase();
const fixtures = path.join(os.tmpdir(), `lectern-queue-test-${process.pid}`);
let boss: PgBoss | undefined;

type JobRow = { name: string; data: unknown; state: string; starts_in_seconds: number; singleton_on_epoch: number | null; retry_limit: number };

/** The processing jobs of a video, as another connection sees them (committed rows only). */
const jobsOf = (videoId: string) =>
  sql<JobRow[]>`select name, data, state, extract(epoch from start_after - now())::float8 as starts_in_seconds,
    extract(epoch from singleton_on)::float8 as singleton_on_epoch, retry_limit from pgboss.job where name = ${PROCESS_VIDEO_QUEUE} and data->>'videoId' = ${videoId}`;

class RollBack extends Error {}

beforeAll(async () => {
  await mkdir(fixtures, { recursive: true });
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("enqueueProcessing inside a transaction", () => {
  it("leaves no job when the transaction rolls back", async () => {
    const videoId = randomUUID();
    await expect(
      db.transaction(async (tx) => {
        await enqueueProcessing({ tx, videoId });
        throw new RollBack();
      }),
    ).rejects.toBeInstanceOf(RollBack);
    expect(await jobsOf(videoId)).toEqual([]);
  });

  it("writes the job in the transaction: invisible until the commit, then queued once", async () => {
    const videoId = randomUUID();
    await db.transaction(async (tx) => {
      await enqueueProcessing({ tx, videoId });
      expect(await jobsOf(videoId)).toEqual([]);
    });
    const jobs = await jobsOf(videoId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: PROCESS_VIDEO_QUEUE, data: { videoId }, retry_limit: queueSettings.retryLimit });
  });

  it("rolls back with a savepoint that fails, inside a transaction that commits", async () => {
    const kept = randomUUID();
    const dropped = randomUUID();
    await db.transaction(async (tx) => {
      await enqueueProcessing({ tx, videoId: kept });
      await expect(
        tx.transaction(async (nested) => {
          await enqueueProcessing({ tx: nested, videoId: dropped });
          throw new RollBack();
        }),
      ).rejects.toBeInstanceOf(RollBack);
    });
    expect(await jobsOf(kept)).toHaveLength(1);
    expect(await jobsOf(dropped)).toEqual([]);
  });

  it("binds pg-boss's parameters as pg-boss does, including ones its statement uses more than once", async () => {
    boss ??= await startBoss({ databaseUrl: inject("databaseUrl"), role: "app", settings: queueSettings });
    const videoId = randomUUID();
    // startAfter ($5) and singletonSeconds ($7) each appear several times in pg-boss's insert, under different casts.
    await db.transaction(async (tx) => {
      const sent = await boss?.send(PROCESS_VIDEO_QUEUE, { videoId }, { db: transactionExecutor(tx), startAfter: 3600, singletonSeconds: 60 });
      expect(sent).toMatch(/^[0-9a-f-]{36}$/);
    });
    const [job] = await jobsOf(videoId);
    expect(job?.state).toBe("created");
    expect(job?.starts_in_seconds).toBeGreaterThan(3500);
    expect(job?.singleton_on_epoch).not.toBeNull();
    expect((job?.singleton_on_epoch ?? 1) % 60).toBe(0);
  });
});

describe("completing an upload", () => {
  it("queues exactly one processing job for the video", { timeout: 60_000 }, async () => {
    const clip = await makeVideoFixture({ path: path.join(fixtures, "clip.mp4"), seconds: 1, width: 320, height: 180 });
    const videoId = await uploadVideo({ actor: instructor, courseId, file: clip, title: "Queued once" });
    const jobs = await jobsOf(videoId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toEqual({ videoId });
  });
});
