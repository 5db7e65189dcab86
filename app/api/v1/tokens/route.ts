import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { createApiTokenSchema } from "@/lib/auth/api-token-schemas";
import { issueApiToken, listApiTokens, refuseTokenMintedByToken } from "@/lib/auth/api-tokens";
import { authenticate } from "@/lib/auth/current-user";

export const GET = apiHandler(async (request) => {
  const actor = await authenticate(request);
  return Response.json({ data: await listApiTokens({ userId: actor.id }) });
});

export const POST = apiHandler(async (request) => {
  const actor = await authenticate(request);
  refuseTokenMintedByToken(request);
  const input = await parseJson(request, createApiTokenSchema);
  return Response.json({ data: await issueApiToken({ userId: actor.id, ...input }) }, { status: 201 });
});
