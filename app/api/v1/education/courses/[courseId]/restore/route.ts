import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { setCourseArchived } from "@/lib/courses/courses";

export const POST = apiHandler<{ params: Promise<{ courseId: string }> }>(async (request, { params }) => {
  const user = await authenticate(request);
  return Response.json({ data: await setCourseArchived({ actor: user, courseId: (await params).courseId, archived: false }) });
});
