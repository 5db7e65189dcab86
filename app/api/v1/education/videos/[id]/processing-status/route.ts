import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticateProcessing } from "@/lib/auth/processing-secret";
import { applyProcessingReport } from "@/lib/videos/processing-state";
import { processingStatusSchema } from "@/lib/videos/schemas";

export const POST = apiHandler<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  await authenticateProcessing(request);
  const input = await parseJson(request, processingStatusSchema);
  return Response.json({ data: await applyProcessingReport({ videoId: (await params).id, input }) });
});
