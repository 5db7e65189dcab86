import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { listMembers } from "@/lib/courses/members";

type Context = { params: Promise<{ courseId: string }> };

/** The course's members (owners and instructors only), owners first. */
export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await listMembers({ actor, courseId: (await params).courseId }) });
});
