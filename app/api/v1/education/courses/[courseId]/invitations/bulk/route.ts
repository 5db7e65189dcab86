import { apiHandler } from "@/lib/api/handler";
import { requestOrigin } from "@/lib/api/public-origin";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { bulkInviteSchema } from "@/lib/courses/member-schemas";
import { inviteMembers } from "@/lib/courses/invitations";

type Context = { params: Promise<{ courseId: string }> };

// 500 addresses with names fit easily; the default 64 KB does not.
const MAX_BULK_BYTES = 512 * 1024;

/** Invites up to 500 addresses with one role; a result per address (invited, pending, member, invalid). */
export const POST = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { emails, role } = await parseJson(request, bulkInviteSchema, { maxBytes: MAX_BULK_BYTES });
  return Response.json({ data: await inviteMembers({ actor, courseId: (await params).courseId, emails, role, origin: requestOrigin(request) }) });
});
