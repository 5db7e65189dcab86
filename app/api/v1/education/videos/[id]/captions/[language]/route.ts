import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { authorizeCaptionWrite, getCaptionTrack, putCaptionTrack, removeCaptionTrack } from "@/lib/captions/captions";
import { readCaptionUpload } from "@/lib/captions/upload-body";

type Context = { params: Promise<{ id: string; language: string }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { id, language } = await params;
  const track = await getCaptionTrack({ actor, videoId: id, language });
  return new Response(track.content, {
    headers: { "content-type": "text/vtt; charset=utf-8", "cache-control": "private, no-cache", etag: `"${track.version}"`, "content-language": track.language },
  });
});

// Who may write is settled before the (up to 2 MB) file is read.
export const PUT = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { id, language } = await params;
  const target = await authorizeCaptionWrite({ actor, videoId: id, language });
  const upload = await readCaptionUpload(request);
  const { track, created } = await putCaptionTrack({ target, upload });
  return Response.json({ data: track }, { status: created ? 201 : 200 });
});

export const DELETE = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { id, language } = await params;
  await removeCaptionTrack({ target: await authorizeCaptionWrite({ actor, videoId: id, language }) });
  return new Response(null, { status: 204 });
});
