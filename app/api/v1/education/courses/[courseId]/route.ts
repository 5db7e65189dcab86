import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { getMyCourse, updateCourseSettings } from "@/lib/courses/courses";
import { updateCourseSchema } from "@/lib/courses/schemas";

type Context = { params: Promise<{ courseId: string }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const user = await authenticate(request);
  return Response.json({ data: await getMyCourse({ userId: user.id, courseId: (await params).courseId }) });
});

export const PATCH = apiHandler<Context>(async (request, { params }) => {
  const user = await authenticate(request);
  const input = await parseJson(request, updateCourseSchema);
  return Response.json({ data: await updateCourseSettings({ actor: user, courseId: (await params).courseId, input }) });
});
