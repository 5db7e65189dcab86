import { describe, expect, it } from "vitest";
import { SEED } from "@/dev/seed";
import { getMyCourse, listMyCourses } from "@/lib/courses/courses";

const { users, courses, lessons } = SEED;

describe("courses", () => {
  it("lists the owner's course with its lessons in order", async () => {
    expect(await listMyCourses({ userId: users.instructor.id })).toEqual([
      {
        id: courses.trading.id,
        title: "Trading Fundamentals",
        description: null,
        role: "owner",
        archivedAt: null,
        version: expect.any(Number),
        lessons: [
          { id: lessons.candlesticks.id, title: "Candlesticks" },
          { id: lessons.risk.id, title: "Risk management" },
        ],
      },
    ]);
  });

  it("gives each member their own role and nobody else's courses", async () => {
    const roles = async (userId: string) =>
      (await listMyCourses({ userId })).map((course) => [course.title, course.role]);
    expect(await roles(users.editor.id)).toEqual([["Trading Fundamentals", "editor"]]);
    expect(await roles(users.student.id)).toEqual([["Trading Fundamentals", "viewer"]]);
    expect(await roles(users.other.id)).toEqual([["Options Basics", "owner"]]);
  });

  it("reports a course the user has no role on, or a malformed id, as not found", async () => {
    await expect(getMyCourse({ userId: users.other.id, courseId: courses.trading.id })).rejects.toMatchObject({ status: 404 });
    await expect(getMyCourse({ userId: users.other.id, courseId: "not-a-uuid" })).rejects.toMatchObject({ status: 404 });
    expect((await getMyCourse({ userId: users.student.id, courseId: courses.trading.id })).role).toBe("viewer");
  });
});
