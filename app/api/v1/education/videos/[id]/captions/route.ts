import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { listCaptionTracks } from "@/lib/captions/captions";

export const GET = apiHandler<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await listCaptionTracks({ actor, videoId: (await params).id }) });
});
