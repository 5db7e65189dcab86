/**
 * `npm run bench:watch`: the watch API against a production build (`next build`, then `next start` on 127.0.0.1)
 * on a fresh embedded database and a fresh local store.
 *
 * - Ingest: `--learners` learners (10,000), each with an API token, send watch batches of 10 s to one of a
 *   course's videos, one every `--every` seconds (10) each, so `--learners / --every` batches a second are asked
 *   (1,000/s, open loop: latencies include any queueing), for `--seconds` (20). Each batch passes the server's
 *   elapsed-time check, as a real player's would. Then flat out with `--concurrency` in flight (closed loop).
 * - Analytics of a video with `--viewers` (10,000) learners who watched it (progress rows and 1–3 sessions each)
 *   and the progress table of a course with 500 learners × 40 videos, each over HTTP `--queries` times (p50/p99),
 *   with the EXPLAIN ANALYZE of the queries behind them.
 *
 * `--skip-build` reuses the existing `.next` build.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { DATA_DIR, openTestDatabase } from "@/dev/database";
import { startLocalStorage } from "@/dev/local-storage";
import { freePort } from "@/dev/postgres";
import { prepareDatabase } from "@/dev/prepare-database";
import { nextBin, run, stopGroup, summarise, waitForHealth } from "./harness";

const { values: args } = parseArgs({
  options: {
    "skip-build": { type: "boolean", default: false },
    learners: { type: "string", default: "10000" },
    every: { type: "string", default: "10" },
    seconds: { type: "string", default: "20" },
    concurrency: { type: "string", default: "32" },
    viewers: { type: "string", default: "10000" },
    queries: { type: "string", default: "30" },
  },
});
const LEARNERS = Number(args.learners);
const EVERY = Number(args.every);
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const VIEWERS = Number(args.viewers);
const QUERIES = Number(args.queries);
const COURSE_LEARNERS = 500;
const COURSE_VIDEOS = 40;
const DURATION = 1800;
const BATCH_SECONDS = 10;
/** A request still unanswered after this counts as an error (and its time as its latency). */
const REQUEST_TIMEOUT_MS = 30_000;

type Figures = { name: string; mode: string; requests: number; seconds: number; p50: number; p99: number; max: number; errors: number };

async function main() {
  for (const [name, value] of Object.entries({ learners: LEARNERS, every: EVERY, seconds: SECONDS, concurrency: CONCURRENCY, viewers: VIEWERS, queries: QUERIES })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  }
  if (!args["skip-build"]) await run(process.execPath, [nextBin(), "build"], { NEXT_TELEMETRY_DISABLED: "1" });
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) throw new Error("no production build in .next: run without --skip-build");

  const database = await openTestDatabase();
  const dataDir = path.join(DATA_DIR, `bench-watch-s3-${process.pid}`);
  let app: ChildProcess | undefined;
  let storage: Awaited<ReturnType<typeof startLocalStorage>> | undefined;
  const sql = postgres(database.url, { max: 4, onnotice: () => {} });
  try {
    await prepareDatabase({ url: database.url });
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    storage = await startLocalStorage({ dataDir, port: 0, adminPort: 0, appOrigins: [origin], fresh: true });
    const world = await createWorld(sql);
    console.log(`${LEARNERS} learners with tokens; an analytics video with ${VIEWERS} viewers; a course of ${COURSE_LEARNERS} learners × ${COURSE_VIDEOS} videos`);

    app = spawn(process.execPath, [nextBin(), "start", "--hostname", "127.0.0.1", "--port", String(port)], {
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
      env: {
        ...process.env,
        ...storage.env,
        DATABASE_URL: database.url,
        AUTH_SECRET: randomBytes(33).toString("base64"),
        PROCESSING_SECRET: randomBytes(33).toString("base64"),
        NEXT_TELEMETRY_DISABLED: "1",
      },
    });
    await waitForHealth(origin);

    const results: Figures[] = [];
    const done = (figures: Figures) => {
      results.push(figures);
      print([figures]);
    };
    const ingest = ingestCalls(origin, world);
    // Warm-up (JIT, pools), then the asked rate, then flat out. Each learner's next batch comes at least
    // BATCH_SECONDS after their previous one, as the server's elapsed-time check expects.
    await closedLoop(ingest.next, Math.min(200, LEARNERS));
    await pause(BATCH_SECONDS * 1000);
    const rate = LEARNERS / EVERY;
    done({ name: "POST /videos/:id/watch", mode: `${rate} batches/s asked`, ...(await openLoop(ingest.next, rate, rate * SECONDS)) });
    await pause(BATCH_SECONDS * 1000);
    done({ name: "POST /videos/:id/watch", mode: `${CONCURRENCY} in flight`, ...(await closedLoop(ingest.next, Math.min(LEARNERS, rate * 5))) });

    const bearer = { authorization: `Bearer ${world.ownerToken}` };
    const get = (url: string) => () => fetch(`${origin}/api/v1/education${url}`, { headers: bearer, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    for (const [name, call] of [
      [`GET /videos/:id/analytics (${VIEWERS} viewers)`, get(`/videos/${world.analyticsVideoId}/analytics`)],
      [`GET /videos/:id/analytics?from&to (${VIEWERS} viewers)`, get(`/videos/${world.analyticsVideoId}/analytics?from=2026-01-01&to=2026-12-31`)],
      [`GET /courses/:id/progress (${COURSE_LEARNERS} × ${COURSE_VIDEOS})`, get(`/courses/${world.progressCourseId}/progress`)],
      [`GET /courses/:id/progress?format=csv`, get(`/courses/${world.progressCourseId}/progress?format=csv`)],
    ] as const) {
      await sequential(call, 3);
      done({ name, mode: "one at a time", ...(await sequential(call, QUERIES)) });
    }
    console.log("\nAll together:");
    print(results);
    await explainAll(sql, world);
  } finally {
    if (app?.pid) await stopGroup(app);
    await storage?.store.close();
    await sql.end();
    await database.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

type World = Awaited<ReturnType<typeof createWorld>>;

async function createWorld(sql: postgres.Sql) {
  const ingestCourseId = randomUUID();
  const analyticsCourseId = randomUUID();
  const progressCourseId = randomUUID();
  await sql`insert into courses (id, title) values (${ingestCourseId}, 'Ingest'), (${analyticsCourseId}, 'Analytics'), (${progressCourseId}, 'Progress')`;
  const ownerId = randomUUID();
  const ownerToken = token();
  await sql`insert into users (id, email, name) values (${ownerId}, 'owner@bench.local', 'Owner')`;
  await sql`insert into api_tokens (user_id, name, token_hash) values (${ownerId}, 'bench', ${hash(ownerToken)})`;
  await sql`insert into course_members (course_id, user_id, role) values (${ingestCourseId}, ${ownerId}, 'owner'), (${analyticsCourseId}, ${ownerId}, 'owner'), (${progressCourseId}, ${ownerId}, 'owner')`;

  const userCount = Math.max(LEARNERS, VIEWERS, COURSE_LEARNERS);
  const learners = Array.from({ length: userCount }, (_, index) => ({ id: randomUUID(), email: `learner${index}@bench.local`, name: `Learner ${index}`, token: token() }));
  for (const chunk of chunks(learners, 1000)) {
    await sql`insert into users ${sql(chunk.map(({ id, email, name }) => ({ id, email, name })))}`;
    await sql`insert into api_tokens ${sql(chunk.map((learner) => ({ user_id: learner.id, name: "bench", token_hash: hash(learner.token) })))}`;
  }
  const members = (courseId: string, count: number) => learners.slice(0, count).map((learner) => ({ course_id: courseId, user_id: learner.id, role: "viewer" }));
  for (const chunk of chunks([...members(ingestCourseId, LEARNERS), ...members(analyticsCourseId, VIEWERS), ...members(progressCourseId, COURSE_LEARNERS)], 2000)) {
    await sql`insert into course_members ${sql(chunk)}`;
  }

  const insertVideos = async (courseId: string, count: number) => {
    const rows = await sql<{ id: string }[]>`
      insert into videos (course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds, position)
      select ${courseId}, 'Lecture ' || n, 'l.mp4', 'local', 'lectern', 'videos/' || ${courseId}::text || '/' || gen_random_uuid() || '/source.mp4', 1000, 'video/mp4', 'ready', ${DURATION}, n
      from generate_series(1, ${count}) n returning id`;
    return rows.map((row) => row.id);
  };
  const ingestVideoIds = await insertVideos(ingestCourseId, COURSE_VIDEOS);
  const [analyticsVideoId] = await insertVideos(analyticsCourseId, 1);
  const progressVideoIds = await insertVideos(progressCourseId, COURSE_VIDEOS);
  if (!analyticsVideoId) throw new Error("no analytics video");

  // The analytics video: each viewer watched a prefix of it (as drop-off looks), in 1–3 sessions this year.
  const progressRows = learners.slice(0, VIEWERS).map((learner, index) => progressRow({ videoId: analyticsVideoId, courseId: analyticsCourseId, userId: learner.id, share: ((index * 7919) % 1000) / 1000 }));
  for (const chunk of chunks(progressRows, 1000)) await sql`insert into watch_progress ${sql(chunk)}`;
  const sessions = learners.slice(0, VIEWERS).flatMap((learner, index) =>
    Array.from({ length: 1 + (index % 3) }, (_, n) => ({
      id: randomUUID(),
      video_id: analyticsVideoId,
      user_id: learner.id,
      course_id: analyticsCourseId,
      last_sequence: 10,
      watched_seconds: 300,
      started_at: new Date(Date.UTC(2026, (index + n) % 12, 1 + (index % 27))),
      last_batch_at: new Date(Date.UTC(2026, (index + n) % 12, 1 + (index % 27))),
    })),
  );
  for (const chunk of chunks(sessions, 1000)) await sql`insert into watch_sessions ${sql(chunk)}`;

  // The progress course: every learner on every video.
  const courseRows = learners.slice(0, COURSE_LEARNERS).flatMap((learner, index) =>
    progressVideoIds.map((videoId, n) => progressRow({ videoId, courseId: progressCourseId, userId: learner.id, share: ((index * 31 + n * 17) % 100) / 100 })),
  );
  for (const chunk of chunks(courseRows, 1000)) await sql`insert into watch_progress ${sql(chunk)}`;
  await sql`analyze`;
  return { ingestCourseId, ingestVideoIds, analyticsVideoId, analyticsCourseId, progressCourseId, progressVideoIds, ownerToken, learners: learners.slice(0, LEARNERS) };
}

function progressRow({ videoId, courseId, userId, share }: { videoId: string; courseId: string; userId: string; share: number }) {
  const watched = Math.round(share * DURATION);
  const bits = Buffer.alloc(13);
  for (let bucket = 0; bucket < Math.floor(share * 100); bucket++) bits[bucket >> 3] = (bits[bucket >> 3] ?? 0) | (1 << (bucket & 7));
  return {
    video_id: videoId,
    user_id: userId,
    course_id: courseId,
    intervals: JSON.stringify(watched > 0 ? [[0, watched]] : []),
    watched_seconds: watched,
    retention: bits,
    position: watched,
    completed_at: share >= 0.9 ? new Date() : null,
    last_watched_at: new Date(),
  };
}

/**
 * Each learner's next batch in turn: learner i watches video i % 40 of the ingest course, 10 s a batch from where
 * their last one ended (sequence 0, 1, 2… of one session each).
 */
function ingestCalls(origin: string, world: World) {
  const state = world.learners.map(() => ({ sessionId: randomUUID(), sequence: 0 }));
  let next = 0;
  return {
    next: () => {
      const index = next++ % world.learners.length;
      const learner = world.learners[index];
      const mine = state[index];
      const videoId = world.ingestVideoIds[index % world.ingestVideoIds.length];
      if (!learner || !mine || !videoId) throw new Error("no learner");
      const from = (mine.sequence * BATCH_SECONDS) % (DURATION - BATCH_SECONDS);
      const body = JSON.stringify({ sessionId: mine.sessionId, sequence: mine.sequence++, position: from + BATCH_SECONDS, intervals: [[from, from + BATCH_SECONDS]], playbackRate: 1 });
      return fetch(`${origin}/api/v1/education/videos/${videoId}/watch`, {
        method: "POST",
        headers: { authorization: `Bearer ${learner.token}`, "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    },
  };
}

type Call = () => Promise<Response>;

async function timed(call: Call): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  try {
    const response = await call();
    await response.arrayBuffer();
    return { ms: performance.now() - started, ok: response.ok };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

async function closedLoop(call: Call, count: number) {
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  const begin = performance.now();
  const lane = async () => {
    while (started < count) {
      started++;
      const { ms, ok } = await timed(call);
      latencies.push(ms);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return summarise(latencies, errors, performance.now() - begin);
}

/** `count` requests started `rate` a second (in ticks of 10 ms) whatever the answers' pace. */
async function openLoop(call: Call, rate: number, count: number) {
  const begin = performance.now();
  const pending: Promise<{ ms: number; ok: boolean }>[] = [];
  while (pending.length < count) {
    const due = Math.min(count, Math.floor(((performance.now() - begin) / 1000) * rate) + 1);
    while (pending.length < due) pending.push(timed(call));
    await pause(10);
  }
  const done = await Promise.all(pending);
  return summarise(
    done.map((result) => result.ms),
    done.filter((result) => !result.ok).length,
    performance.now() - begin,
  );
}

async function sequential(call: Call, count: number) {
  const latencies: number[] = [];
  let errors = 0;
  const begin = performance.now();
  for (let index = 0; index < count; index++) {
    const { ms, ok } = await timed(call);
    latencies.push(ms);
    if (!ok) errors++;
  }
  return summarise(latencies, errors, performance.now() - begin);
}

/** The plans of the queries behind analytics and the progress table (as db/queries/watch-*.ts issue them). */
async function explainAll(sql: postgres.Sql, world: World) {
  const buckets = Array.from({ length: 100 }, (_, bucket) => `sum(get_bit(watch_progress.retention, ${bucket}))::int`).join(", ");
  const audience = (window: string) => `
    select count(*)::int, coalesce(sum(least(1, watch_progress.watched_seconds / ${DURATION}::float8)), 0)::float8, count(watch_progress.completed_at)::int, array[${buckets}]
    from watch_progress join course_members on course_members.course_id = watch_progress.course_id and course_members.user_id = watch_progress.user_id and course_members.role = 'viewer'
    where watch_progress.video_id = '${world.analyticsVideoId}' and watch_progress.watched_seconds > 0 ${window}`;
  const queries: [string, string][] = [
    ["analytics: audience", audience("")],
    [
      "analytics: audience in a window",
      audience(`and watch_progress.user_id in (select user_id from watch_sessions where video_id = '${world.analyticsVideoId}' and started_at >= '2026-03-01' and started_at < '2026-06-01')`),
    ],
    [
      "analytics: sessions",
      `select count(*)::int, coalesce(sum(watch_sessions.watched_seconds), 0) from watch_sessions join course_members on course_members.course_id = watch_sessions.course_id and course_members.user_id = watch_sessions.user_id and course_members.role = 'viewer' where watch_sessions.video_id = '${world.analyticsVideoId}' and watch_sessions.watched_seconds > 0`,
    ],
    [
      "course progress: videos",
      `select videos.id, videos.title, lessons.title, videos.duration_seconds from videos left join lessons on lessons.id = videos.lesson_id where videos.course_id = '${world.progressCourseId}' and videos.deleted_at is null and videos.status in ('playable', 'ready') order by lessons.position asc nulls last, videos.position, videos.created_at, videos.id`,
    ],
    [
      "course progress: learners with their rows as arrays",
      `with course_videos as (select id, place from unnest('{${world.progressVideoIds.join(",")}}'::uuid[]) with ordinality as listed(id, place)),
      watched as (
        select watch_progress.user_id, array_agg(course_videos.place::int) as places, array_agg(watch_progress.watched_seconds) as seconds,
          array_agg(watch_progress.completed_at is not null) as completed, max(watch_progress.last_watched_at) as last_watched_at
        from watch_progress join course_videos on course_videos.id = watch_progress.video_id
        where watch_progress.course_id = '${world.progressCourseId}' group by watch_progress.user_id)
      select users.id, users.name, users.email, watched.places, watched.seconds, watched.completed,
        to_char(watched.last_watched_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      from course_members join users on users.id = course_members.user_id left join watched on watched.user_id = course_members.user_id
      where course_members.course_id = '${world.progressCourseId}' and course_members.role = 'viewer'
      order by users.name asc nulls last, users.email asc`,
    ],
  ];
  for (const [name, query] of queries) {
    const plan = await sql.unsafe<{ "QUERY PLAN": string }[]>(`explain (analyze, buffers) ${query}`);
    console.log(`\n-- ${name}\n${plan.map((row) => row["QUERY PLAN"]).join("\n")}`);
  }
}

function print(results: Figures[]) {
  console.log("| call | load | requests | req/s | p50 | p99 | max | errors |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  for (const row of results) {
    console.log(`| ${row.name} | ${row.mode} | ${row.requests} | ${(row.requests / row.seconds).toFixed(0)} | ${ms(row.p50)} | ${ms(row.p99)} | ${ms(row.max)} | ${row.errors} |`);
  }
  console.log(`\nCPUs: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown"}; load average ${os.loadavg().map((load) => load.toFixed(1)).join(", ")}`);
}

const token = () => `lct_${randomBytes(32).toString("base64url")}`;
const hash = (value: string) => createHash("sha256").update(value).digest("hex");
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.round(ms)));

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

main().catch((error: unknown) => {
  console.error("[bench:watch]", error instanceof Error ? error.message : error);
  process.exit(1);
});
