import { apiHandler } from "@/lib/api/handler";
import { requestOrigin } from "@/lib/api/public-origin";
import { authenticate } from "@/lib/auth/current-user";
import { revokeInvitation } from "@/lib/courses/invitations";

type Context = { params: Promise<{ id: string }> };

/** Revokes a pending invitation (idempotent): its link stops working. */
export const DELETE = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await revokeInvitation({ actor, invitationId: (await params).id, origin: requestOrigin(request) }) });
});
