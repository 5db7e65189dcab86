import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { deleteLesson, renameLesson } from "@/lib/courses/lessons";
import { lessonInputSchema } from "@/lib/courses/schemas";

type Context = { params: Promise<{ lessonId: string }> };

export const PATCH = apiHandler<Context>(async (request, { params }) => {
  const user = await authenticate(request);
  const { title } = await parseJson(request, lessonInputSchema);
  return Response.json({ data: await renameLesson({ actor: user, lessonId: (await params).lessonId, title }) });
});

export const DELETE = apiHandler<Context>(async (request, { params }) => {
  const user = await authenticate(request);
  await deleteLesson({ actor: user, lessonId: (await params).lessonId });
  return new Response(null, { status: 204 });
});
