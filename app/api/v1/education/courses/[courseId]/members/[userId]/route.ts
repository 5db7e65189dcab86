import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { updateMemberSchema } from "@/lib/courses/member-schemas";
import { changeMemberRole, removeMember } from "@/lib/courses/members";

type Context = { params: Promise<{ courseId: string; userId: string }> };

/** Changes a member's role (policy: owners anyone, instructors editors and viewers; never the last owner away). */
export const PATCH = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { role } = await parseJson(request, updateMemberSchema);
  const { courseId, userId } = await params;
  return Response.json({ data: await changeMemberRole({ actor, courseId, userId, role }) });
});

/** Removes a member, or with one's own id leaves the course; the last owner cannot (409). */
export const DELETE = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { courseId, userId } = await params;
  await removeMember({ actor, courseId, userId });
  return new Response(null, { status: 204 });
});
