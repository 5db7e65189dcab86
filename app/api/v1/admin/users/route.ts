import { createUserSchema } from "@/lib/admin/schemas";
import { createUserAsAdmin } from "@/lib/admin/users";
import { apiHandler } from "@/lib/api/handler";
import { parseJson } from "@/lib/api/request";
import { authenticate } from "@/lib/auth/current-user";

/** Creates an account (administrators only): 201 with it; 409 with the existing one for a taken address. */
export const POST = apiHandler(async (request) => {
  const actor = await authenticate(request);
  const input = await parseJson(request, createUserSchema);
  return Response.json({ data: await createUserAsAdmin({ actor, input }) }, { status: 201 });
});
