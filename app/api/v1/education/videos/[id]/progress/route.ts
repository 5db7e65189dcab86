import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { getVideoProgress } from "@/lib/watch/progress";

type Context = { params: Promise<{ id: string }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await getVideoProgress({ actor, videoId: (await params).id }) }, { headers: { "cache-control": "private, no-store" } });
});
