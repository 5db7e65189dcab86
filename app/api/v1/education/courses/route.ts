import { apiHandler } from "@/lib/api/handler";
import { parseJson, parseQuery } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { createCourse, listMyCourses } from "@/lib/courses/courses";
import { createCourseSchema, listCoursesQuerySchema } from "@/lib/courses/schemas";

export const GET = apiHandler(async (request) => {
  const user = await authenticate(request);
  const query = parseQuery(request, listCoursesQuerySchema);
  return Response.json({ data: await listMyCourses({ userId: user.id, includeArchived: query.include === "archived" }) });
});

export const POST = apiHandler(async (request) => {
  const user = await authenticate(request);
  const input = await parseJson(request, createCourseSchema);
  return Response.json({ data: await createCourse({ actor: user, input }) }, { status: 201 });
});
