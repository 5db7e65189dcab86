import { z } from "zod";
import { apiHandler } from "@/lib/api/handler";
import { parseJson, parseQuery } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { putChaptersSchema } from "@/lib/captions/chapters";
import { getChapters, getChaptersWebVtt, putChapters } from "@/lib/captions/video-chapters";

type Context = { params: Promise<{ id: string }> };

const formatQuery = z.object({ format: z.enum(["json", "vtt"], { message: "format must be json or vtt." }).default("json") });

export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { format } = parseQuery(request, formatQuery);
  const videoId = (await params).id;
  if (format === "vtt") {
    return new Response(await getChaptersWebVtt({ actor, videoId }), { headers: { "content-type": "text/vtt; charset=utf-8", "cache-control": "private, no-cache" } });
  }
  return Response.json({ data: await getChapters({ actor, videoId }) });
});

export const PUT = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const input = await parseJson(request, putChaptersSchema);
  return Response.json({ data: await putChapters({ actor, videoId: (await params).id, input }) });
});
