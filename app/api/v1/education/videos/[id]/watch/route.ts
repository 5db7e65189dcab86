import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { recordWatchBatch } from "@/lib/watch/record";
import { watchBatchSchema } from "@/lib/watch/schemas";

type Context = { params: Promise<{ id: string }> };

export const POST = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const batch = await parseJson(request, watchBatchSchema);
  return Response.json({ data: await recordWatchBatch({ actor, videoId: (await params).id, batch }) });
});
