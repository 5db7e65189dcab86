import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { completeUploadSchema } from "@/lib/videos/schemas";
import { completeUpload } from "@/lib/videos/uploads";

export const POST = apiHandler<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const { parts } = await parseJson(request, completeUploadSchema);
  const actor = await authenticate(request);
  return Response.json({ data: await completeUpload({ actor, videoId: (await params).id, parts }) });
});
