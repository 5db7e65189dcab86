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

/** A video row of the course, processed as far as `status` says (no media stored): for tests of what sits on top. */
export async function insertVideo(sql: postgres.Sql, courseId: string, { duration = 100, status = "ready", title = "Lecture" }: { duration?: number | null; status?: string; title?: string } = {}) {
  const id = randomUUID();
  await sql`
    insert into videos (id, course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
    values (${id}, ${courseId}, ${title}, 'l.mp4', 'local', 'lectern', ${`videos/${courseId}/${id}/source.mp4`}, 1000, 'video/mp4', ${status}, ${duration})`;
  return id;
}
