import { apiHandler } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { authenticate } from "@/lib/auth/current-user";

type Context = { params: Promise<{ id: string }> };

/** Revokes one of the caller's tokens (idempotent); the token stays listed as revoked. */
export const DELETE = apiHandler<Context>(async (request, { params }) => {
  const actor = await authenticate(request);
  return Response.json({ data: await revokeApiToken({ tokenId: (await params).id, userId: actor.id }) });
});
