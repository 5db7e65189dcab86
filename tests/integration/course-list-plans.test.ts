import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

// Lessons and memberships only: bulk videos here would change the plans tests/integration/video-list.test.ts checks.
describe("the lesson and course list plans on thousands of rows", () => {
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
    await sql`analyze lessons`;
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
