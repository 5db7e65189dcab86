import { apiHandler } from "@/lib/api/handler";
import { parseQuery } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { listVideosQuerySchema } from "@/lib/videos/schemas";
import { listLessonVideos } from "@/lib/videos/videos";

export const GET = apiHandler<{ params: Promise<{ lessonId: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  const query = parseQuery(request, listVideosQuerySchema.omit({ lessonId: true }));
  return Response.json(await listLessonVideos({ actor, lessonId: (await params).lessonId, query }));
});
