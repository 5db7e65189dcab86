/**
 * `npm run bench:api`: how the API serves its two busiest calls, against a
 * production build (`next build`, then `next start` on 127.0.0.1) on a fresh
 * embedded database and a fresh local store:
 *
 * - the course list (`GET /courses/:id/videos`, 20 a page) of a course with
 *   10,000 videos: the first page and pages deep in the list (by cursor);
 * - upload-init (a video row and a multipart upload in storage each).
 *
 * Each is measured twice: flat out with `--concurrency` requests in flight
 * (closed loop: req/s is what the server sustains), and at a fixed `--rate`
 * of requests per second (open loop: the latencies a client sees at that load).
 * Every loop is bounded (`--requests`); everything runs on localhost.
 * `--skip-build` reuses the existing `.next` build; `--videos N` changes the course's size.
 */
import { spawn, type ChildProcess } from "node:child_process";
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
    videos: { type: "string", default: "10000" },
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    rate: { type: "string", default: "100" },
  },
});
const VIDEOS = Number(args.videos);
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const RATE = Number(args.rate);
const PAGE = 20;
const CURSORS = 100;

type Call = () => Promise<Response>;
type Figures = { name: string; mode: string; requests: number; seconds: number; p50: number; p99: number; max: number; errors: number };

async function main() {
  for (const [name, value] of Object.entries({ videos: VIDEOS, requests: REQUESTS, concurrency: CONCURRENCY, rate: RATE })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  }
  if (!args["skip-build"]) await run(process.execPath, [nextBin(), "build"], { NEXT_TELEMETRY_DISABLED: "1" });
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) throw new Error("no production build in .next: run without --skip-build");

  const database = await openTestDatabase();
  const dataDir = path.join(DATA_DIR, `bench-api-s3-${process.pid}`);
  let app: ChildProcess | undefined;
  let storage: Awaited<ReturnType<typeof startLocalStorage>> | undefined;
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  try {
    await prepareDatabase({ url: database.url });
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    storage = await startLocalStorage({ dataDir, port: 0, adminPort: 0, appOrigins: [origin], fresh: true });
    const world = await createWorld(sql);
    console.log(`${VIDEOS} videos in one course (plus ${VIDEOS / 10} in another), analysed`);

    app = spawn(process.execPath, [nextBin(), "start", "--hostname", "127.0.0.1", "--port", String(port)], {
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
      env: {
        ...process.env,
        ...storage.env,
        DATABASE_URL: database.url,
        AUTH_SECRET: randomBytes(33).toString("base64"),
        PROCESSING_SECRET: randomBytes(33).toString("base64"),
        // The limit would refuse all but the first few upload-inits: the bench measures the work, not the limiter.
        UPLOAD_INIT_RATE_LIMIT: String(10 * REQUESTS),
        NEXT_TELEMETRY_DISABLED: "1",
      },
    });
    await waitForHealth(origin);

    const headers = { authorization: `Bearer ${world.token}`, accept: "application/json" };
    const list = `${origin}/api/v1/education/courses/${world.courseId}/videos?limit=${PAGE}`;
    const cursors = await collectCursors(list, headers);
    let next = 0;
    // The first page and pages throughout the list, in turn.
    const listCall: Call = () => {
      const cursor = next++ % (cursors.length + 1);
      return fetch(cursor === 0 ? list : `${list}&cursor=${cursors[cursor - 1]}`, { headers });
    };
    const initCall: Call = () =>
      fetch(`${origin}/api/v1/education/videos/upload-init`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ courseId: world.uploadCourseId, filename: "lesson.mp4", fileSize: 200 * 1024 * 1024, contentType: "video/mp4", metadata: { title: "Bench" } }),
      });

    const results: Figures[] = [];
    for (const [name, call] of [
      [`course list (${VIDEOS} videos, ${PAGE} a page)`, listCall],
      ["upload-init", initCall],
    ] as const) {
      await closedLoop(call, Math.min(100, REQUESTS)); // warm-up: JIT, connection pools, caches
      results.push({ name, mode: `${CONCURRENCY} in flight`, ...(await closedLoop(call, REQUESTS)) });
      results.push({ name, mode: `${RATE} req/s asked`, ...(await openLoop(call, Math.min(REQUESTS, RATE * 10))) });
    }
    print(results);
  } finally {
    if (app?.pid) await stopGroup(app);
    await storage?.store.close();
    await sql.end();
    await database.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** A course with VIDEOS videos (newest first a second apart), another with a tenth as many, an owner and their API token. */
async function createWorld(sql: postgres.Sql) {
  const courseId = randomUUID();
  const otherCourseId = randomUUID();
  const uploadCourseId = randomUUID();
  const userId = randomUUID();
  const token = `lct_${randomBytes(32).toString("base64url")}`;
  await sql`insert into courses (id, title) values (${courseId}, 'Bench'), (${otherCourseId}, 'Other'), (${uploadCourseId}, 'Uploads')`;
  await sql`insert into users (id, email, name) values (${userId}, 'bench@example.com', 'Bench')`;
  await sql`insert into api_tokens (user_id, name, token_hash) values (${userId}, 'bench', ${createHash("sha256").update(token).digest("hex")})`;
  await sql`insert into course_members (course_id, user_id, role) values (${courseId}, ${userId}, 'owner'), (${uploadCourseId}, ${userId}, 'owner')`;
  for (const [course, count] of [
    [courseId, VIDEOS],
    [otherCourseId, Math.round(VIDEOS / 10)],
  ] as const) {
    await sql`
      insert into videos (course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, created_at, metadata)
      select ${course}, 'Lesson video ' || n, 'lesson.mp4', 'local', 'lectern', 'videos/' || ${course}::text || '/' || gen_random_uuid() || '/source.mp4',
        100000000 + n, 'video/mp4', 'ready', now() - n * interval '1 second', '{"tags":["bench"]}'
      from generate_series(1, ${count}) n`;
  }
  await sql`analyze videos`;
  return { courseId, uploadCourseId, token };
}

/** CURSORS cursors spread over the whole list, taken by walking it. */
async function collectCursors(list: string, headers: Record<string, string>): Promise<string[]> {
  const pages = Math.ceil(VIDEOS / PAGE);
  const every = Math.max(1, Math.floor(pages / CURSORS));
  const cursors: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < pages && cursors.length < CURSORS; page++) {
    const response: Response = await fetch(cursor ? `${list}&cursor=${cursor}` : list, { headers });
    if (!response.ok) throw new Error(`listing failed: ${response.status} ${await response.text()}`);
    cursor = ((await response.json()) as { nextCursor: string | null }).nextCursor;
    if (!cursor) break;
    if (page % every === 0) cursors.push(cursor);
  }
  return cursors;
}

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

/** `count` requests, CONCURRENCY at a time. */
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

/** `count` requests started RATE a second whatever the answers' pace (latency includes any queueing). */
async function openLoop(call: Call, count: number) {
  const begin = performance.now();
  const interval = 1000 / RATE;
  const pending: Promise<{ ms: number; ok: boolean }>[] = [];
  for (let index = 0; index < count; index++) {
    const wait = Math.round(begin + index * interval - performance.now());
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(timed(call));
  }
  const done = await Promise.all(pending);
  return summarise(
    done.map((result) => result.ms),
    done.filter((result) => !result.ok).length,
    performance.now() - begin,
  );
}

function print(results: Figures[]) {
  console.log("\n| call | load | requests | req/s | p50 | p99 | max | errors |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  for (const row of results) {
    console.log(
      `| ${row.name} | ${row.mode} | ${row.requests} | ${(row.requests / row.seconds).toFixed(0)} | ${ms(row.p50)} | ${ms(row.p99)} | ${ms(row.max)} | ${row.errors} |`,
    );
  }
  console.log(`\nCPUs: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown"}; load average ${os.loadavg().map((load) => load.toFixed(1)).join(", ")}`);
}

main().catch((error: unknown) => {
  console.error("[bench:api]", error instanceof Error ? error.message : error);
  process.exit(1);
});
