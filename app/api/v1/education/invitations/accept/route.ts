import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { acceptInvitationSchema } from "@/lib/courses/member-schemas";
import { acceptInvitation } from "@/lib/courses/invitations";

/** The caller (whose email must be the invited one) joins the course; 410 for a used, revoked or expired link. */
export const POST = apiHandler(async (request) => {
  const user = await authenticate(request);
  const { token } = await parseJson(request, acceptInvitationSchema);
  return Response.json({ data: await acceptInvitation({ user, token }) });
});
