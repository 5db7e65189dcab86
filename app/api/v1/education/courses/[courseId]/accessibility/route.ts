import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { courseAccessibility } from "@/lib/search/accessibility";

export const GET = apiHandler<{ params: Promise<{ courseId: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await courseAccessibility({ actor, courseId: (await params).courseId }) });
});
