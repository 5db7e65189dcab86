import { apiHandler } from "@/lib/api/handler";
import { authenticate } from "@/lib/auth/current-user";
import { getMedia } from "@/lib/videos/media";

type Context = { params: Promise<{ id: string; path: string[] }> };

export const GET = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  const { id, path } = await params;
  const media = await getMedia({ actor, videoId: id, path: path.join("/") });
  const cacheControl = `private, max-age=${media.maxAgeSeconds}`;
  if (media.kind === "redirect") return new Response(null, { status: 302, headers: { location: media.url, "cache-control": cacheControl } });
  return new Response(media.body, { headers: { "content-type": media.contentType, "cache-control": cacheControl } });
});
