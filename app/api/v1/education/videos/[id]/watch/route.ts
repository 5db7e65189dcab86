import { apiHandler } from "@/lib/api/handler";
import { requestOrigin } from "@/lib/api/public-origin";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { recordWatchBatch } from "@/lib/watch/record";
import { watchBatchSchema } from "@/lib/watch/schemas";

type Context = { params: Promise<{ id: string }> };

export const POST = apiHandler<Context>(async (request, { params }) => {
  // A player sends a batch every 10 s: its token, found active a few seconds ago, is not looked up again.
  const actor = await authenticate(request, { cachedToken: true });
  const batch = await parseJson(request, watchBatchSchema);
  return Response.json({ data: await recordWatchBatch({ actor, videoId: (await params).id, batch, origin: requestOrigin(request) }) });
});
