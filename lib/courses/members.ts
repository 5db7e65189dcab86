import "server-only";
import { db } from "@/db";
import { countOwners, deleteMember, lockCourse, selectMember, selectMembers, updateMemberRole } from "@/db/queries/members";
import { deleteMemberWatchData } from "@/db/queries/watch-progress";
import type { CourseRole } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, courseArchivedError, loadCourseRole } from "@/lib/videos/access";
import { canLeaveCourse, canManageMember, canOnCourse } from "@/lib/videos/policy";
import { idSchema } from "@/lib/videos/schemas";
import type { MemberDto } from "./member-schemas";

type MemberRow = NonNullable<Awaited<ReturnType<typeof selectMember>>>;

const toMemberDto = (row: MemberRow): MemberDto => ({
  userId: row.userId,
  name: row.name,
  email: row.email,
  role: row.role,
  joinedAt: row.joinedAt.toISOString(),
});

const memberNotFound = () => AppError.notFound("That person is not a member of this course.");
const lastOwner = () => new AppError("conflict", "A course needs an owner: make someone else an owner first.", { details: { reason: "last_owner" } });

/** The caller's role on the course, for someone allowed to see its members (404 for strangers, 403 below instructor). */
export async function requireMemberViewer({ actor, courseId }: { actor: Actor; courseId: string }): Promise<CourseRole> {
  const role = await loadCourseRole({ actor, courseId });
  if (!canOnCourse({ role, action: "viewMembers" })) throw AppError.forbidden("Only the course's owners and instructors can see and manage its members.");
  return role;
}

export async function listMembers({ actor, courseId }: { actor: Actor; courseId: string }): Promise<MemberDto[]> {
  await requireMemberViewer({ actor, courseId });
  return (await selectMembers({ courseId })).map(toMemberDto);
}

/**
 * Changes a member's role. Runs under the course's row lock, reading both roles again under it: concurrent changes
 * to the owners (two owners demoting each other) are serialised, and the one that would leave none gets 409.
 */
export async function changeMemberRole({ actor, courseId, userId, role: newRole }: { actor: Actor; courseId: string; userId: string; role: CourseRole }): Promise<MemberDto> {
  await requireMemberViewer({ actor, courseId });
  if (!idSchema.safeParse(userId).success) throw memberNotFound();
  return db.transaction(async (tx) => {
    const course = await lockCourse({ courseId, tx });
    if (!course) throw AppError.notFound("Course not found.");
    if (course.archivedAt) throw courseArchivedError();
    const me = await selectMember({ courseId, userId: actor.id, tx });
    if (!me) throw AppError.notFound("Course not found.");
    const target = await selectMember({ courseId, userId, tx });
    if (!target) throw memberNotFound();
    if (!canManageMember({ role: me.role, targetRole: target.role, newRole })) {
      throw AppError.forbidden(`As ${article(me.role)} you cannot make ${article(target.role)} into ${article(newRole)}.`);
    }
    if (target.role === newRole) return toMemberDto(target);
    if (target.role === "owner" && (await countOwners({ courseId, tx })) <= 1) throw lastOwner();
    await updateMemberRole({ courseId, userId, role: newRole, tx });
    return toMemberDto({ ...target, role: newRole });
  });
}

/**
 * Removes a member, or (userId is the caller's) leaves the course, with their watch data in it. The last owner stays
 * (409); under the course's lock.
 */
export async function removeMember({ actor, courseId, userId }: { actor: Actor; courseId: string; userId: string }): Promise<void> {
  const leaving = userId === actor.id;
  const role = await loadCourseRole({ actor, courseId });
  if (!leaving && !canOnCourse({ role, action: "viewMembers" })) throw AppError.forbidden("Only the course's owners and instructors can remove members.");
  if (!idSchema.safeParse(userId).success) throw memberNotFound();
  await db.transaction(async (tx) => {
    const course = await lockCourse({ courseId, tx });
    if (!course) throw AppError.notFound("Course not found.");
    // Leaving stays possible on an archived (read-only) course; managing its members does not.
    if (course.archivedAt && !leaving) throw courseArchivedError();
    const me = await selectMember({ courseId, userId: actor.id, tx });
    if (!me) throw AppError.notFound("Course not found.");
    const target = leaving ? me : await selectMember({ courseId, userId, tx });
    if (!target) throw memberNotFound();
    const allowed = leaving ? canLeaveCourse({ role: me.role }) : canManageMember({ role: me.role, targetRole: target.role });
    if (!allowed) throw AppError.forbidden(`As ${article(me.role)} you cannot remove ${article(target.role)}.`);
    if (target.role === "owner" && (await countOwners({ courseId, tx })) <= 1) {
      throw leaving ? new AppError("conflict", "You are the course's last owner: make someone else an owner before you leave.", { details: { reason: "last_owner" } }) : lastOwner();
    }
    await deleteMember({ courseId, userId, tx });
    // Their watching in this course goes with them (privacy): progress and sessions, in the same transaction.
    await deleteMemberWatchData({ courseId, userId, tx });
  });
}

const article = (role: CourseRole) => `${role === "viewer" ? "a" : "an"} ${role}`;
