import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";

// The app's env is read once, at import: XAPI_ENDPOINT (and its credentials) name the test's LRS, on a port fixed
// before anything is imported.
const { lrsPort } = vi.hoisted(() => {
  const port = 30_000 + (process.pid % 20_000);
  process.env.XAPI_ENDPOINT = `http://127.0.0.1:${port}/xapi/`;
  process.env.XAPI_USERNAME = "lrs-key";
  process.env.XAPI_PASSWORD = "lrs-secret";
  return { lrsPort: port };
});

import { startLrsServer, type LrsServer } from "@/dev/lrs-server";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { rootLogger } from "@/lib/logger";
import { queueSettings } from "@/lib/queue";
import { startBoss, XAPI_STATEMENTS_QUEUE } from "@/lib/queue/boss";
import { recordWatchBatch } from "@/lib/watch/record";
import type { WatchBatch } from "@/lib/watch/schemas";
import { workXapiStatements } from "@/lib/xapi/deliver-statements";
import { createLrsClient } from "@/lib/xapi/lrs-client";
import { registrationId } from "@/lib/xapi/statements";
import { createCourseWorld } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

const database = testDatabase();
const sql = database.sql;
const ORIGIN = "http://lectern.test:8080";
const P = "https://w3id.org/xapi/video";
const ext = (name: string) => `${P}/extensions/${name}`;
let lrs: LrsServer;
let boss: PgBoss;

beforeAll(async () => {
  lrs = await startLrsServer({ port: lrsPort, username: "lrs-key", password: "lrs-secret" });
  boss = await startBoss({ databaseUrl: inject("databaseUrl"), role: "worker", settings: queueSettings });
  // As the worker does (lib/worker/worker.ts), from the same settings.
  const endpoint = env.XAPI_ENDPOINT ?? "";
  await workXapiStatements({ boss, client: createLrsClient({ endpoint, username: env.XAPI_USERNAME, password: env.XAPI_PASSWORD }), logger: rootLogger });
});

afterAll(async () => {
  await boss.stop({ graceful: false });
  await lrs.close();
  await database.close();
});

async function watchableVideo({ courseId, title, seconds }: { courseId: string; title: string; seconds: number }) {
  const [row] = await sql<{ id: string }[]>`
    insert into videos (course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
    values (${courseId}, ${title}, 'v.mp4', 'local', 'lectern', ${`videos/${randomUUID()}/source.mp4`}, 1000, 'video/mp4', 'ready', ${seconds})
    returning id`;
  if (!row) throw new Error("no video");
  return row.id;
}

const ofSession = (sessionId: string) => lrs.statements.filter((statement) => statement.context?.extensions?.[ext("session-id")] === sessionId);
const jobsOf = async (sessionId: string) =>
  (await sql<{ state: string }[]>`select state from pgboss.job where name = ${XAPI_STATEMENTS_QUEUE} and data->'statements'->0->'context'->'extensions'->>${ext("session-id")} = ${sessionId}`).map((row) => row.state);
const batch = (sessionId: string, sequence: number, rest: Partial<WatchBatch>): WatchBatch => ({ sessionId, sequence, position: 0, intervals: [], playbackRate: 1, ...rest });

describe("watch batches become xAPI Video Profile statements in the LRS", () => {
  it("played, seeked, paused as the learner did them, then completed once past 90 %", { timeout: 60_000 }, async () => {
    const world = await createCourseWorld(sql, ["owner", "viewer"]);
    const learner = world.first("viewer");
    const videoId = await watchableVideo({ courseId: world.courseId, title: "Vectors", seconds: 20 });
    const sessionId = randomUUID();
    const start = new Date();

    await recordWatchBatch({
      actor: learner,
      videoId,
      origin: ORIGIN,
      now: start,
      batch: batch(sessionId, 0, {
        position: 14,
        intervals: [[0, 5], [6, 14]],
        events: [{ type: "played", at: 0 }, { type: "seeked", from: 5, to: 6 }, { type: "paused", at: 14 }],
      }),
    });
    const first = await lrs.waitFor(() => ofSession(sessionId).length === 3).then(() => ofSession(sessionId));
    expect(first.map((statement) => statement.verb.id)).toEqual([`${P}/verbs/played`, `${P}/verbs/seeked`, `${P}/verbs/paused`]);
    for (const statement of first) {
      expect(statement.actor).toEqual({ objectType: "Agent", account: { homePage: ORIGIN, name: learner.id } });
      expect(statement.object).toMatchObject({ id: `${ORIGIN}/courses/${world.courseId}/videos/${videoId}`, definition: { type: `${P}/activity-type/video`, name: { und: "Vectors" } } });
      expect(statement.context?.contextActivities?.parent).toEqual([expect.objectContaining({ id: `${ORIGIN}/courses/${world.courseId}`, definition: expect.objectContaining({ name: { und: world.title } }) })]);
      expect(statement.context?.contextActivities?.category).toEqual([expect.objectContaining({ id: P })]);
      expect(statement.context?.registration).toBe(registrationId({ learnerId: learner.id, videoId }));
      expect(statement.context?.extensions?.[ext("length")]).toBe(20);
    }
    expect(first[1]?.result?.extensions).toMatchObject({ [ext("time-from")]: 5, [ext("time-to")]: 6 });
    expect(first[2]?.result?.extensions).toEqual({ [ext("time")]: 14, [ext("progress")]: 0.65, [ext("played-segments")]: "0.000[.]5.000[,]6.000[.]14.000" });

    // Ten seconds later: the rest of the video, past the completion share.
    await recordWatchBatch({
      actor: learner,
      videoId,
      origin: ORIGIN,
      now: new Date(start.getTime() + 10_000),
      batch: batch(sessionId, 1, { position: 20, intervals: [[14, 20]], events: [{ type: "played", at: 14 }] }),
    });
    await lrs.waitFor(() => ofSession(sessionId).length === 5);
    const completed = ofSession(sessionId).filter((statement) => statement.verb.id === "http://adlnet.gov/expapi/verbs/completed");
    expect(completed).toHaveLength(1);
    expect(completed[0]?.result).toEqual({
      completion: true,
      // Seconds played over the learner's sessions: 13 + 6.
      duration: "PT19S",
      extensions: { [ext("time")]: 20, [ext("progress")]: 0.95, [ext("played-segments")]: "0.000[.]5.000[,]6.000[.]20.000" },
    });

    // A replayed batch records nothing, so it queues nothing; a batch without events queues nothing either.
    await recordWatchBatch({ actor: learner, videoId, origin: ORIGIN, now: new Date(start.getTime() + 11_000), batch: batch(sessionId, 1, { position: 20, intervals: [[14, 20]], events: [{ type: "played", at: 14 }] }) });
    await recordWatchBatch({ actor: learner, videoId, origin: ORIGIN, now: new Date(start.getTime() + 20_000), batch: batch(sessionId, 2, { position: 20, intervals: [[18, 20]] }) });
    expect(await jobsOf(sessionId)).toHaveLength(2);
  });

  it("a refused batch queues nothing", async () => {
    const world = await createCourseWorld(sql, ["owner", "viewer"]);
    const videoId = await watchableVideo({ courseId: world.courseId, title: "Short", seconds: 20 });
    const sessionId = randomUUID();
    const refused = await recordWatchBatch({ actor: world.first("viewer"), videoId, origin: ORIGIN, batch: batch(sessionId, 0, { position: 5, intervals: [[0, 40]], events: [{ type: "played", at: 0 }] }) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(await jobsOf(sessionId)).toEqual([]);
  });

  it("a failing LRS never fails or slows the watch API: the statements arrive once it answers again", { timeout: 90_000 }, async () => {
    const world = await createCourseWorld(sql, ["owner", "viewer"]);
    const videoId = await watchableVideo({ courseId: world.courseId, title: "Down", seconds: 60 });
    const sessionId = randomUUID();
    lrs.failNext({ status: 503 }, { status: 502 }, { status: 500, afterStoring: true });
    const started = performance.now();
    const progress = await recordWatchBatch({
      actor: world.first("viewer"),
      videoId,
      origin: ORIGIN,
      batch: batch(sessionId, 0, { position: 6, intervals: [[0, 6]], events: [{ type: "played", at: 0 }, { type: "paused", at: 6 }] }),
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(progress.watchedSeconds).toBe(6);
    await expect.poll(() => jobsOf(sessionId), { timeout: 20_000 }).toEqual(["retry"]);
    await expect.poll(() => jobsOf(sessionId), { timeout: 60_000 }).toEqual(["completed"]);
    expect(ofSession(sessionId).map((statement) => statement.verb.id)).toEqual([`${P}/verbs/played`, `${P}/verbs/paused`]);
  });
});
