import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outlineVideosQuery } from "@/db/queries/lessons";
import { videoPageQuery } from "@/db/queries/videos";
import { listCourseVideos, listLessonVideos } from "@/lib/videos/videos";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();
afterAll(close);

/** A course of its own with one owner and `lessons` lessons. */
async function course(lessons = 1) {
  const courseId = randomUUID();
  const userId = randomUUID();
  const lessonIds = Array.from({ length: lessons }, () => randomUUID());
  await sql`insert into courses (id, title) values (${courseId}, 'List test')`;
  await sql`insert into users (id, email) values (${userId}, ${`list-${userId}@example.com`})`;
  await sql`insert into course_members (course_id, user_id, role) values (${courseId}, ${userId}, 'owner')`;
  for (const [index, lessonId] of lessonIds.entries()) {
    await sql`insert into lessons (id, course_id, title, position) values (${lessonId}, ${courseId}, 'Lesson', ${index + 1})`;
  }
  return { courseId, actor: { id: userId }, lessonIds };
}

/** `count` videos in ONE statement: they share created_at (the transaction's now(), to the microsecond). */
async function insertTogether({ courseId, lessonId, count }: { courseId: string; lessonId?: string; count: number }) {
  await sql`
    insert into videos (course_id, lesson_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status)
    select ${courseId}, ${lessonId ?? null}, 'Video ' || n, 'v.mp4', 'local', 'lectern', 'videos/' || ${courseId}::text || '/' || gen_random_uuid() || '/source.mp4', 1000, 'video/mp4', 'ready'
    from generate_series(1, ${count}) n`;
}

describe("keyset pagination", () => {
  it("pages through videos inserted in one statement, one at a time, seeing each once", async () => {
    const { courseId, actor, lessonIds } = await course();
    await insertTogether({ courseId, lessonId: lessonIds[0], count: 3 });
    const [{ precise } = { precise: false }] = await sql<{ precise: boolean }[]>`
      select date_trunc('milliseconds', created_at) <> created_at as precise from videos where course_id = ${courseId} limit 1`;
    expect(precise, "created_at has microseconds below the millisecond (1 run in 1,000 it has not)").toBe(true);

    for (const list of [
      (cursor?: string) => listCourseVideos({ actor, courseId, query: { limit: 1, cursor } }),
      (cursor?: string) => listLessonVideos({ actor, lessonId: lessonIds[0] ?? "", query: { limit: 1, cursor } }),
    ]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await list(cursor);
        seen.push(...result.data.map((video) => video.id));
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      expect(seen).toHaveLength(3);
      expect(new Set(seen).size).toBe(3);
    }
  });
});

type PlanNode = { "Node Type": string; "Index Name"?: string; Plans?: PlanNode[] };

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/** EXPLAIN of the exact SQL the list runs. */
async function explain(query: { toSQL: () => { sql: string; params: unknown[] } }) {
  const { sql: text, params } = query.toSQL();
  const [row] = await sql.unsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(`explain (format json) ${text}`, params as never[]);
  const plan = row?.["QUERY PLAN"][0]?.Plan;
  if (!plan) throw new Error("no plan");
  return nodes(plan);
}

describe("the list queries' plans", () => {
  let fixture: Awaited<ReturnType<typeof course>>;
  beforeAll(async () => {
    fixture = await course(10);
    // A few thousand videos, most in no lesson: a lesson's page is then clearly cheapest through the lesson index.
    for (const lessonId of fixture.lessonIds) await insertTogether({ courseId: fixture.courseId, lessonId, count: 100 });
    await insertTogether({ courseId: fixture.courseId, count: 4000 });
    await sql`analyze videos`;
  });

  const expectIndexScan = (plan: PlanNode[], index: string) => {
    const summary = plan.map((node) => `${node["Node Type"]}${node["Index Name"] ? ` on ${node["Index Name"]}` : ""}`);
    expect(summary, JSON.stringify(plan, null, 1)).toContain(`Index Scan on ${index}`);
    expect(summary.filter((node) => /Sort/.test(node))).toEqual([]);
  };

  it("a course's page is an index scan on videos_course_created_idx, without a sort", async () => {
    const { courseId } = fixture;
    expectIndexScan(await explain(videoPageQuery({ courseId, limit: 21 })), "videos_course_created_idx");
    expectIndexScan(await explain(videoPageQuery({ courseId, statuses: ["ready"], limit: 21 })), "videos_course_created_idx");
    const after = { createdAt: new Date().toISOString(), id: randomUUID() };
    expectIndexScan(await explain(videoPageQuery({ courseId, limit: 21, after })), "videos_course_created_idx");
  });

  it("a lesson's page is an index scan on videos_lesson_created_idx, without a sort", async () => {
    const { courseId, lessonIds } = fixture;
    expectIndexScan(await explain(videoPageQuery({ courseId, lessonId: lessonIds[3], limit: 21 })), "videos_lesson_created_idx");
    const after = { createdAt: new Date().toISOString(), id: randomUUID() };
    expectIndexScan(await explain(videoPageQuery({ courseId, lessonId: lessonIds[3], statuses: ["ready"], limit: 21, after })), "videos_lesson_created_idx");
  });

  // Staff and viewers alike: the lessons' entries in the lesson index, then a sort of those rows only (one course's
  // lesson videos). An index of its own on (lesson, position) would compete with the one above for a lesson's page.
  it("the course outline reads its lessons' videos through videos_lesson_created_idx, never a scan of the table", async () => {
    for (const statuses of [undefined, ["ready"] as const]) {
      const plan = (await explain(outlineVideosQuery({ lessonIds: fixture.lessonIds, statuses }))).map(
        (node) => `${node["Node Type"]}${node["Index Name"] ? ` on ${node["Index Name"]}` : ""}`,
      );
      console.log(`[plan] outline (${statuses ? "viewer" : "staff"}):`, plan.join(" → "));
      expect(plan.join()).toMatch(/(Bitmap )?Index Scan on videos_lesson_created_idx/);
      expect(plan.join()).not.toMatch(/Seq Scan/);
    }
  });
});
