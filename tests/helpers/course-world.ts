import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { CourseRole } from "@/db/schema";

export type WorldUser = { id: string; email: string; name: string };

/** A course of its own with one user per given role (several owners when asked), and an outsider. */
export async function createCourseWorld(sql: postgres.Sql, roles: CourseRole[] = ["owner", "instructor", "editor", "viewer"]) {
  const tag = randomUUID().slice(0, 8);
  const courseId = randomUUID();
  await sql`insert into courses (id, title) values (${courseId}, ${`Course ${tag}`})`;
  const members: (WorldUser & { role: CourseRole })[] = [];
  for (const [index, role] of roles.entries()) {
    const user = await createUser(sql, `${role}${index}-${tag}`);
    await sql`insert into course_members (course_id, user_id, role) values (${courseId}, ${user.id}, ${role})`;
    members.push({ ...user, role });
  }
  const outsider = await createUser(sql, `outsider-${tag}`);
  const first = (role: CourseRole) => {
    const member = members.find((candidate) => candidate.role === role);
    if (!member) throw new Error(`no ${role} in this world`);
    return member;
  };
  return { courseId, title: `Course ${tag}`, tag, members, outsider, first };
}

export async function createUser(sql: postgres.Sql, local: string): Promise<WorldUser> {
  const id = randomUUID();
  const email = `${local}@example.com`;
  await sql`insert into users (id, email, name) values (${id}, ${email}, ${local})`;
  return { id, email, name: local };
}
