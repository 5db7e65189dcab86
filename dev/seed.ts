import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { courseMembers, courses, lessons, users, type CourseRole } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { SEED, SEED_PASSWORD, type SeedUser } from "./seed-data";

export { SEED, SEED_PASSWORD };

const memberships: { course: keyof typeof SEED.courses; user: SeedUser; role: CourseRole }[] = [
  { course: "trading", user: "instructor", role: "owner" },
  { course: "trading", user: "editor", role: "editor" },
  { course: "trading", user: "student", role: "viewer" },
  { course: "options", user: "other", role: "owner" },
];

/** Idempotent: running it twice leaves the same rows (and resets the seeded users' password). */
export async function seed({ db }: { db: Database }): Promise<void> {
  const passwordHash = await hashPassword(SEED_PASSWORD);
  await db.transaction(async (tx) => {
    const seededUsers = await tx
      .insert(users)
      .values(Object.values(SEED.users).map((user) => ({ ...user, passwordHash })))
      .onConflictDoUpdate({ target: users.email, set: { passwordHash, name: sql`excluded.name` } })
      .returning({ id: users.id, email: users.email });
    // An email that already existed keeps its own id.
    const userId = (key: keyof typeof SEED.users) =>
      seededUsers.find((row) => row.email === SEED.users[key].email)?.id ?? SEED.users[key].id;
    await tx.insert(courses).values(Object.values(SEED.courses)).onConflictDoNothing();
    await tx
      .insert(lessons)
      .values(Object.values(SEED.lessons).map((lesson) => ({ ...lesson, courseId: SEED.courses.trading.id })))
      .onConflictDoNothing();
    await tx
      .insert(courseMembers)
      .values(
        memberships.map(({ course, user, role }) => ({ courseId: SEED.courses[course].id, userId: userId(user), role })),
      )
      .onConflictDoNothing();
  });
}

export async function isEmpty({ db }: { db: Database }): Promise<boolean> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  return (row?.count ?? 0) === 0;
}
