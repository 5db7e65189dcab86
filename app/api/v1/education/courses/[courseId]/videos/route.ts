import { apiHandler } from "@/lib/api/handler";
import { parseQuery } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { listVideosQuerySchema } from "@/lib/videos/schemas";
import { listCourseVideos } from "@/lib/videos/videos";

export const GET = apiHandler<{ params: Promise<{ courseId: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  const query = parseQuery(request, listVideosQuerySchema);
  return Response.json(await listCourseVideos({ actor, courseId: (await params).courseId, query }));
});
