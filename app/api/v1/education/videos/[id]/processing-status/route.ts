import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticateProcessing } from "@/lib/auth/processing";
import { processingStatusSchema } from "@/lib/videos/schemas";
import { updateProcessingStatus } from "@/lib/videos/videos";

export const POST = apiHandler<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const input = await parseJson(request, processingStatusSchema);
  await authenticateProcessing(request);
  return Response.json({ data: await updateProcessingStatus({ videoId: (await params).id, input }) });
});
