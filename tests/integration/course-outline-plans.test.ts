import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outlineVideosQuery } from "@/db/queries/lessons";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();
afterAll(close);

type PlanNode = { "Node Type": string; "Index Name"?: string; Plans?: PlanNode[] };
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/** EXPLAIN of the exact SQL, as `Node Type on index` lines. */
async function explain({ sql: text, params }: { sql: string; params: unknown[] }) {
  const [row] = await sql.unsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(`explain (format json) ${text}`, params as never[]);
  const plan = row?.["QUERY PLAN"][0]?.Plan;
  if (!plan) throw new Error("no plan");
  return nodes(plan).map((node) => `${node["Node Type"]}${node["Index Name"] ? ` on ${node["Index Name"]}` : ""}`);
}

describe("the course outline's plans on thousands of rows", () => {
  const courseId = randomUUID();
  const lessonIds = Array.from({ length: 20 }, () => randomUUID());
  beforeAll(async () => {
    const otherCourse = randomUUID();
    await sql`insert into courses (id, title) values (${courseId}, 'Outline'), (${otherCourse}, 'Elsewhere')`;
    for (const [index, lessonId] of lessonIds.entries()) {
      await sql`insert into lessons (id, course_id, title, position) values (${lessonId}, ${courseId}, 'Lesson', ${index + 1})`;
    }
    const otherLessons = Array.from({ length: 200 }, () => randomUUID());
    for (const [index, lessonId] of otherLessons.entries()) {
      await sql`insert into lessons (id, course_id, title, position) values (${lessonId}, ${otherCourse}, 'Other', ${index + 1})`;
    }
    // 3,000 more lessons in 150 other courses.
    await sql`
      with more as (insert into courses (title) select 'Filler ' || n from generate_series(1, 150) n returning id)
      insert into lessons (course_id, title, position) select more.id, 'Filler', p from more, generate_series(1, 20) p`;
    // 20 lessons × 50 videos here; 200 lessons × 50 videos and 5,000 unassigned elsewhere.
    for (const [lessons, course] of [[lessonIds, courseId], [otherLessons, otherCourse]] as const) {
      await sql`
        insert into videos (course_id, lesson_id, position, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status)
        select ${course}, l.id, n, 'Video ' || n, 'v.mp4', 'local', 'lectern', 'videos/' || ${course}::text || '/' || gen_random_uuid() || '/source.mp4', 1000, 'video/mp4',
          case when n % 3 = 0 then 'processing' else 'ready' end
        from unnest(${lessons}::uuid[]) l(id), generate_series(1, 50) n`;
    }
    await sql`
      insert into videos (course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status)
      select ${otherCourse}, 'Loose ' || n, 'v.mp4', 'local', 'lectern', 'videos/' || ${otherCourse}::text || '/' || gen_random_uuid() || '/source.mp4', 1000, 'video/mp4', 'ready'
      from generate_series(1, 5000) n`;
    await sql`analyze videos`;
    await sql`analyze lessons`;
  });

  // Staff and viewers alike: a bitmap scan of the lessons' entries in the index, then a sort of those rows only.
  it("reads the lessons' videos through videos_lesson_position_idx, never a scan of the table", async () => {
    for (const statuses of [undefined, ["ready"] as const]) {
      const plan = await explain(outlineVideosQuery({ lessonIds, statuses }).toSQL());
      console.log(`[plan] outline (${statuses ? "viewer" : "staff"}):`, plan.join(" → "));
      expect(plan.join()).toMatch(/(Bitmap )?Index Scan on videos_lesson_position_idx/);
      expect(plan).not.toContain("Seq Scan");
    }
  });

  it("reads a course's lessons in order through lessons_course_position_key", async () => {
    const plan = await explain({ sql: "select * from lessons where course_id = $1 order by position", params: [courseId] });
    console.log("[plan] lessons:", plan.join(" → "));
    expect(plan.join()).toMatch(/(Bitmap )?Index Scan on lessons_course_position_key/);
    expect(plan.join()).not.toMatch(/Seq Scan/);
  });

  it("lists a member's active courses through course_members_user_id_idx", async () => {
    const [member] = await sql<{ user_id: string }[]>`
      insert into users (email) values (${`plans-${randomUUID()}@example.com`}) returning id as user_id`;
    await sql`insert into course_members (course_id, user_id, role) select id, ${member?.user_id ?? ""}, 'viewer' from courses where title like 'Filler %' limit 30`;
    // 3,000 other people in the filler courses.
    await sql`
      with people as (insert into users (email) select 'plans-' || gen_random_uuid() || '@example.com' from generate_series(1, 3000) returning id)
      insert into course_members (course_id, user_id, role)
      select (select id from courses where title like 'Filler %' order by id offset (abs(hashtext(people.id::text)) % 150) limit 1), people.id, 'viewer' from people`;
    await sql`analyze course_members`;
    await sql`analyze courses`;
    const plan = await explain({
      sql: `select c.id from course_members m join courses c on c.id = m.course_id where m.user_id = $1 and c.archived_at is null order by c.title, c.id`,
      params: [member?.user_id],
    });
    console.log("[plan] my courses:", plan.join(" → "));
    expect(plan.join()).toMatch(/(Bitmap )?Index Scan on course_members_user_id_idx/);
  });
});
