import { afterAll, describe, expect, it } from "vitest";
import { changeMemberRole, listMembers, removeMember } from "@/lib/courses/members";
import { createCourseWorld, createUser } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";

const database = testDatabase();
const sql = database.sql;
afterAll(() => database.close());

const owners = async (courseId: string) => (await sql<{ n: number }[]>`select count(*)::int as n from course_members where course_id = ${courseId} and role = 'owner'`)[0]?.n;

describe("members", () => {
  it("lists members with name, email, role and joined, owners first; strangers get 404, editors 403", async () => {
    const world = await createCourseWorld(sql, ["viewer", "editor", "owner", "instructor"]);
    const members = await listMembers({ actor: world.first("instructor"), courseId: world.courseId });
    expect(members.map((member) => member.role)).toEqual(["owner", "instructor", "editor", "viewer"]);
    expect(members[0]).toEqual({ userId: world.first("owner").id, name: world.first("owner").name, email: world.first("owner").email, role: "owner", joinedAt: expect.any(String) });
    await expect(listMembers({ actor: world.outsider, courseId: world.courseId })).rejects.toMatchObject({ status: 404 });
    await expect(listMembers({ actor: world.first("editor"), courseId: world.courseId })).rejects.toMatchObject({ status: 403 });
    await expect(listMembers({ actor: world.first("owner"), courseId: "nope" })).rejects.toMatchObject({ status: 404 });
  });

  it("lets owners change anyone and instructors only editors and viewers", async () => {
    const world = await createCourseWorld(sql);
    const instructor = world.first("instructor");
    expect(await changeMemberRole({ actor: instructor, courseId: world.courseId, userId: world.first("editor").id, role: "viewer" })).toMatchObject({ role: "viewer" });
    await expect(changeMemberRole({ actor: instructor, courseId: world.courseId, userId: world.first("viewer").id, role: "instructor" })).rejects.toMatchObject({ status: 403 });
    await expect(changeMemberRole({ actor: instructor, courseId: world.courseId, userId: world.first("owner").id, role: "viewer" })).rejects.toMatchObject({ status: 403 });
    await expect(changeMemberRole({ actor: world.first("viewer"), courseId: world.courseId, userId: world.first("editor").id, role: "viewer" })).rejects.toMatchObject({ status: 403 });
    await expect(changeMemberRole({ actor: world.first("owner"), courseId: world.courseId, userId: world.outsider.id, role: "viewer" })).rejects.toMatchObject({ status: 404 });
    expect(await changeMemberRole({ actor: world.first("owner"), courseId: world.courseId, userId: instructor.id, role: "owner" })).toMatchObject({ role: "owner" });
  });

  it("never demotes or removes the last owner (409), who may not leave either", async () => {
    const world = await createCourseWorld(sql);
    const owner = world.first("owner");
    await expect(changeMemberRole({ actor: owner, courseId: world.courseId, userId: owner.id, role: "instructor" })).rejects.toMatchObject({ status: 409, details: { reason: "last_owner" } });
    await expect(removeMember({ actor: owner, courseId: world.courseId, userId: owner.id })).rejects.toMatchObject({ status: 409 });
    expect(await owners(world.courseId)).toBe(1);
  });

  it("two owners demoting each other at once leave one owner, never none", async () => {
    // Several courses at once, so that without the course lock the two demotions would really overlap.
    const worlds = await Promise.all(Array.from({ length: 8 }, () => createCourseWorld(sql, ["owner", "owner"])));
    const outcomes = await Promise.all(
      worlds.flatMap((world) => {
        const [a, b] = world.members;
        if (!a || !b) throw new Error("two owners expected");
        return [
          changeMemberRole({ actor: a, courseId: world.courseId, userId: b.id, role: "instructor" }).then(() => "ok", (error: { status?: number }) => error.status),
          changeMemberRole({ actor: b, courseId: world.courseId, userId: a.id, role: "instructor" }).then(() => "ok", (error: { status?: number }) => error.status),
        ];
      }),
    );
    for (const [index, world] of worlds.entries()) {
      expect(await owners(world.courseId)).toBe(1);
      // The loser, read again under the lock, is no longer an owner (403) or the other is the last one (409).
      const pair = outcomes.slice(index * 2, index * 2 + 2);
      expect(pair.filter((outcome) => outcome === "ok")).toHaveLength(1);
      expect(pair.find((outcome) => outcome !== "ok")).toBeOneOf([403, 409]);
    }
  });

  it("removing each other at once keeps an owner too", async () => {
    const worlds = await Promise.all(Array.from({ length: 8 }, () => createCourseWorld(sql, ["owner", "owner"])));
    await Promise.all(
      worlds.flatMap((world) =>
        world.members.map((member) => removeMember({ actor: member, courseId: world.courseId, userId: member.id }).catch((error: { status?: number }) => expect(error.status).toBe(409))),
      ),
    );
    for (const world of worlds) expect(await owners(world.courseId)).toBe(1);
  });

  it("removes members by policy, and anyone may leave", async () => {
    const world = await createCourseWorld(sql, ["owner", "instructor", "instructor", "editor", "viewer"]);
    const [, instructor, otherInstructor] = world.members;
    if (!instructor || !otherInstructor) throw new Error("instructors expected");
    await expect(removeMember({ actor: instructor, courseId: world.courseId, userId: otherInstructor.id })).rejects.toMatchObject({ status: 403 });
    await expect(removeMember({ actor: world.first("editor"), courseId: world.courseId, userId: world.first("viewer").id })).rejects.toMatchObject({ status: 403 });
    await removeMember({ actor: instructor, courseId: world.courseId, userId: world.first("editor").id });
    await removeMember({ actor: world.first("viewer"), courseId: world.courseId, userId: world.first("viewer").id });
    await removeMember({ actor: otherInstructor, courseId: world.courseId, userId: otherInstructor.id });
    await expect(removeMember({ actor: world.outsider, courseId: world.courseId, userId: world.outsider.id })).rejects.toMatchObject({ status: 404 });
    const left = await listMembers({ actor: world.first("owner"), courseId: world.courseId });
    expect(left.map((member) => member.userId)).toEqual([world.first("owner").id, instructor.id]);
    const stranger = await createUser(sql, `stranger-${world.tag}`);
    await expect(removeMember({ actor: world.first("owner"), courseId: world.courseId, userId: stranger.id })).rejects.toMatchObject({ status: 404 });
  });
});
