import { apiHandler } from "@/lib/api/handler";
import { parseQuery } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { getVideoAnalytics } from "@/lib/watch/analytics";
import { analyticsQuerySchema } from "@/lib/watch/schemas";

type Context = { params: Promise<{ id: string }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const query = parseQuery(request, analyticsQuerySchema);
  return Response.json({ data: await getVideoAnalytics({ actor, videoId: (await params).id, query }) }, { headers: { "cache-control": "private, no-store" } });
});
