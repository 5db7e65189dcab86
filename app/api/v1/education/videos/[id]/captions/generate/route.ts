import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { requestTranscription } from "@/lib/captions/machine-captions";

/** "Generate captions": queues a machine transcription; the video's `transcription` shows its progress. */
export const POST = apiHandler<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await requestTranscription({ actor, videoId: (await params).id }) }, { status: 202 });
});
