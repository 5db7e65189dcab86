import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { startReplacement } from "@/lib/videos/replacements";
import { replaceVideoSchema } from "@/lib/videos/schemas";

export const POST = apiHandler<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  const input = await parseJson(request, replaceVideoSchema);
  const upload = await startReplacement({ actor, videoId: (await params).id, input });
  return Response.json({ data: upload }, { status: 201 });
});
