import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { abortUpload } from "@/lib/videos/uploads";

export const POST = apiHandler<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await abortUpload({ actor, videoId: (await params).id }) });
});
