import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { recordCompleteLatency } from "@/lib/metrics/recorders";
import { completeUploadSchema } from "@/lib/videos/schemas";
import { completeUpload } from "@/lib/videos/uploads";

// The one body allowed past 64 KB: the list of up to 10,000 parts (about 70 bytes each).
const MAX_COMPLETE_BYTES = 1024 * 1024;

export const POST = apiHandler<{ params: Promise<{ id: string }> }>(
  async (request, { params }) => {
    const actor = await authenticate(request);
    const { parts } = await parseJson(request, completeUploadSchema, { maxBytes: MAX_COMPLETE_BYTES });
    return Response.json({ data: await completeUpload({ actor, videoId: (await params).id, parts }) });
  },
  { onDone: recordCompleteLatency },
);
