import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { createLesson, listLessons } from "@/lib/courses/lessons";
import { lessonInputSchema } from "@/lib/courses/schemas";

type Context = { params: Promise<{ courseId: string }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const user = await authenticate(request);
  return Response.json({ data: await listLessons({ actor: user, courseId: (await params).courseId }) });
});

export const POST = apiHandler<Context>(async (request, { params }) => {
  const user = await authenticate(request);
  const { title } = await parseJson(request, lessonInputSchema);
  return Response.json({ data: await createLesson({ actor: user, courseId: (await params).courseId, title }) }, { status: 201 });
});
