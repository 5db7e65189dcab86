import { apiHandler } from "@/lib/api/handler";
import { requestOrigin } from "@/lib/api/public-origin";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { inviteSchema } from "@/lib/courses/member-schemas";
import { inviteMember, listPendingInvitations } from "@/lib/courses/invitations";

type Context = { params: Promise<{ courseId: string }> };

/** Pending invitations, newest first. */
export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await listPendingInvitations({ actor, courseId: (await params).courseId, origin: requestOrigin(request) }) });
});

/** Invites one address: 201 with a new invitation, 200 with the one already pending for it. */
export const POST = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { email, role } = await parseJson(request, inviteSchema);
  const { created, invitation } = await inviteMember({ actor, courseId: (await params).courseId, email, role, origin: requestOrigin(request) });
  return Response.json({ data: invitation }, { status: created ? 201 : 200 });
});
