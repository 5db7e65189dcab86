import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { reorderLessons } from "@/lib/courses/lessons";
import { lessonOrderSchema } from "@/lib/courses/schemas";

export const PUT = apiHandler<{ params: Promise<{ courseId: string }> }>(async (request, { params }) => {
  const user = await authenticate(request);
  const { lessonIds } = await parseJson(request, lessonOrderSchema);
  return Response.json({ data: await reorderLessons({ actor: user, courseId: (await params).courseId, lessonIds }) });
});
