import { apiHandler } from "@/lib/api/handler";
import { parseQuery } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { courseProgressCsvStream, csvDisposition, getCourseProgress } from "@/lib/watch/course-progress";
import { courseProgressQuerySchema } from "@/lib/watch/schemas";

type Context = { params: Promise<{ courseId: string }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { format } = parseQuery(request, courseProgressQuerySchema);
  const progress = await getCourseProgress({ actor, courseId: (await params).courseId });
  if (format === "csv") {
    const day = new Date().toISOString().slice(0, 10);
    return new Response(courseProgressCsvStream(progress), {
      headers: {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": csvDisposition(`course-progress-${progress.courseId}-${day}.csv`),
        "cache-control": "private, no-store",
      },
    });
  }
  return Response.json({ data: progress }, { headers: { "cache-control": "private, no-store" } });
});
