import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { listMyCourses } from "@/lib/courses/courses";

export const GET = apiHandler(async (request) => {
  const user = await authenticate(request);
  const courses = await listMyCourses({ userId: user.id });
  return Response.json({ data: courses.map(({ id, title, role, lessons }) => ({ id, title, role, lessons })) });
});
