import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "@/db";
import { startLrsServer, type LrsServer } from "@/dev/lrs-server";
import { rootLogger } from "@/lib/logger";
import { enqueueXapiStatements, queueSettings } from "@/lib/queue";
import { startBoss, XAPI_STATEMENTS_QUEUE } from "@/lib/queue/boss";
import { workXapiStatements } from "@/lib/xapi/deliver-statements";
import { createLrsClient } from "@/lib/xapi/lrs-client";
import { buildWatchStatements } from "@/lib/xapi/statements";
import { recordWatchBatch } from "@/lib/watch/record";
import { createCourseWorld } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

const database = testDatabase();
const sql = database.sql;
let lrs: LrsServer;
let boss: PgBoss;

beforeAll(async () => {
  lrs = await startLrsServer();
  boss = await startBoss({ databaseUrl: inject("databaseUrl"), role: "worker", settings: queueSettings });
  await workXapiStatements({ boss, client: createLrsClient({ endpoint: lrs.endpoint, username: lrs.username, password: lrs.password, batchSize: 10 }), logger: rootLogger });
});

afterAll(async () => {
  await boss.stop({ graceful: false });
  await lrs.close();
  await database.close();
});

const statementsOf = (sessionId: string, count = 2) =>
  buildWatchStatements({
    origin: "http://lectern.test",
    learnerId: randomUUID(),
    course: { id: randomUUID(), title: "Course" },
    video: { id: randomUUID(), title: "Video", durationSeconds: 60 },
    sessionId,
    sequence: 0,
    recordedAt: new Date(),
    playbackRate: 1,
    position: 5,
    events: Array.from({ length: count }, (_, index) => ({ type: index % 2 ? ("paused" as const) : ("played" as const), at: index })),
    progress: { intervals: [[0, 5]], watchedShare: 5 / 60 },
  });
const sessionIdOf = (statement: { context?: { extensions?: Record<string, unknown> } }) => statement.context?.extensions?.["https://w3id.org/xapi/video/extensions/session-id"];
const arrived = (sessionId: string) => lrs.statements.filter((statement) => sessionIdOf(statement) === sessionId);
const jobState = async (sessionId: string) =>
  (await sql<{ state: string; retry_count: number }[]>`select state, retry_count from pgboss.job where name = ${XAPI_STATEMENTS_QUEUE} and data->'statements'->0->'context'->'extensions'->>'https://w3id.org/xapi/video/extensions/session-id' = ${sessionId}`)[0];

describe("the xapi-statements job", () => {
  it("statements queued in a transaction that commits reach the LRS; one that rolls back sends nothing", async () => {
    const committed = randomUUID();
    const rolledBack = randomUUID();
    await db.transaction((tx) => enqueueXapiStatements({ tx, job: { statements: statementsOf(committed) } }));
    await db
      .transaction(async (tx) => {
        await enqueueXapiStatements({ tx, job: { statements: statementsOf(rolledBack) } });
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await lrs.waitFor(() => arrived(committed).length === 2);
    expect(arrived(committed).map((statement) => statement.verb.id)).toEqual(["https://w3id.org/xapi/video/verbs/played", "https://w3id.org/xapi/video/verbs/paused"]);
    await expect.poll(() => jobState(committed), { timeout: 10_000 }).toMatchObject({ state: "completed" });
    expect(await jobState(rolledBack)).toBeUndefined();
    expect(arrived(rolledBack)).toEqual([]);
  });

  it("an LRS that fails gets the statements again later (retries with backoff), each stored once", { timeout: 60_000 }, async () => {
    const sessionId = randomUUID();
    lrs.failNext({ status: 503 }, { status: 500, afterStoring: true });
    const sent = statementsOf(sessionId, 3);
    await db.transaction((tx) => enqueueXapiStatements({ tx, job: { statements: sent } }));
    // First attempt refused, second stored but answered 500 (a lost reply): the job waits to be retried.
    await expect.poll(() => jobState(sessionId), { timeout: 20_000 }).toMatchObject({ state: "retry" });
    await expect.poll(() => jobState(sessionId), { timeout: 40_000 }).toMatchObject({ state: "completed", retry_count: 2 });
    expect(arrived(sessionId).map((statement) => statement.id)).toEqual(sent.map((statement) => statement.id));
    const attempts = lrs.requests.filter((request) => request.statements === 3 && request.method === "POST");
    expect(attempts.map((request) => request.status)).toEqual(expect.arrayContaining([503, 500, 200]));
  });
});

describe("without XAPI_ENDPOINT", () => {
  it("a recorded batch with player events queues no statements", async () => {
    expect(process.env.XAPI_ENDPOINT).toBeUndefined();
    const world = await createCourseWorld(sql, ["owner", "viewer"]);
    const [video] = await sql<{ id: string }[]>`
      insert into videos (course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
      values (${world.courseId}, 'Off', 'v.mp4', 'local', 'lectern', ${`videos/${randomUUID()}/source.mp4`}, 1000, 'video/mp4', 'ready', 20)
      returning id`;
    const sessionId = randomUUID();
    const progress = await recordWatchBatch({
      actor: world.first("viewer"),
      videoId: video?.id ?? "",
      batch: { sessionId, sequence: 0, position: 5, intervals: [[0, 5]], playbackRate: 1, events: [{ type: "played", at: 0 }, { type: "paused", at: 5 }] },
    });
    expect(progress.watchedSeconds).toBe(5);
    expect(await jobState(sessionId)).toBeUndefined();
  });
});
