import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { reprocessVideo } from "@/lib/videos/processing-state";

export const POST = apiHandler<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await reprocessVideo({ actor, videoId: (await params).id }) }, { status: 202 });
});
