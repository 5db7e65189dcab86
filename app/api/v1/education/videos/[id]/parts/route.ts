import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { signPartsSchema } from "@/lib/videos/schemas";
import { listUploadedParts, signParts } from "@/lib/videos/uploads";

type Context = { params: Promise<{ id: string }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await listUploadedParts({ actor, videoId: (await params).id }) });
});

export const POST = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const input = await parseJson(request, signPartsSchema);
  return Response.json({ data: await signParts({ actor, videoId: (await params).id, ...input }) });
});
