import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";
import { uploadInitSchema } from "@/lib/videos/schemas";
import { initUpload } from "@/lib/videos/uploads";

export const POST = apiHandler(async (request) => {
  const actor = await authenticate(request);
  const input = await parseJson(request, uploadInitSchema);
  const upload = await initUpload({ actor, input });
  return Response.json({ data: upload }, { status: 201 });
});
