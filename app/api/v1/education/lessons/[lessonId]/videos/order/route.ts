import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { reorderLessonVideos } from "@/lib/courses/lessons";
import { videoOrderSchema } from "@/lib/courses/schemas";

export const PUT = apiHandler<{ params: Promise<{ lessonId: string }> }>(async (request, { params }) => {
  const user = await authenticate(request);
  const { videoIds } = await parseJson(request, videoOrderSchema);
  return Response.json({ data: { videoIds: await reorderLessonVideos({ actor: user, lessonId: (await params).lessonId, videoIds }) } });
});
