import "server-only";
import { redirect } from "next/navigation";
import { findUserById } from "@/db/queries/users";
import { assertSameOriginRequest } from "@/lib/api/same-origin";
import { AppError } from "@/lib/errors";
import { type AuthenticatedUser, requireApiTokenUser } from "./api-tokens";
import { auth } from "./config";

/** The signed-in user of the session cookie, checked against the database (a JWT outlives a deleted user). */
export async function getSessionUser(): Promise<AuthenticatedUser | undefined> {
  const session = await auth();
  const id = session?.user?.id;
  return id ? findUserById({ id }) : undefined;
}

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireSessionUser(): Promise<AuthenticatedUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}

/**
 * For API routes: `Authorization: Bearer <token>` when the header is present
 * (a bad token is never rescued by a cookie), else the session cookie, which
 * must also pass the CSRF check on state-changing requests.
 */
export async function authenticate(request: Request): Promise<AuthenticatedUser> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const user = match?.[1] ? await requireApiTokenUser({ token: match[1] }) : undefined;
    if (!user) throw AppError.unauthorized("The API token is missing, malformed, unknown or revoked.");
    return user;
  }
  const user = await getSessionUser();
  if (!user) throw AppError.unauthorized();
  assertSameOriginRequest(request);
  return user;
}
