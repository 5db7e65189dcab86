import { apiHandler } from "@/lib/api/handler";
import { parseQuery } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { searchCourse } from "@/lib/search/course-search";
import { courseSearchQuerySchema } from "@/lib/search/schemas";

export const GET = apiHandler<{ params: Promise<{ courseId: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  const query = parseQuery(request, courseSearchQuerySchema);
  return Response.json(await searchCourse({ actor, courseId: (await params).courseId, query }));
});
