import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { updateVideoSchema } from "@/lib/videos/schemas";
import { deleteVideo, getVideo, updateVideoMetadata } from "@/lib/videos/videos";

type Context = { params: Promise<{ id: string }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await getVideo({ actor, videoId: (await params).id }) });
});

export const PATCH = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const input = await parseJson(request, updateVideoSchema);
  return Response.json({ data: await updateVideoMetadata({ actor, videoId: (await params).id, input }) });
});

export const DELETE = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  await deleteVideo({ actor, videoId: (await params).id });
  return new Response(null, { status: 204 });
});
