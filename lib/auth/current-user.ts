import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { assertSameOriginRequest } from "@/lib/api/same-origin";
import { AppError } from "@/lib/errors";
import { type AuthenticatedUser, requireApiTokenUser } from "./api-tokens";
import { auth } from "./config";
import { renewSessionCookie, sessionCookieDue } from "./session-cookie";
import { resolveSession } from "./sessions";

/**
 * The signed-in user of the session cookie, checked against the database on every request: the JWT's session row
 * must still exist (not signed out, not expired) and the user too. One query; a session in use is renewed daily.
 * Memoised per request while rendering (layout, metadata and page share one read and one renewal attempt); route
 * handlers and actions run outside a render, where React's cache does not apply, and read it once each.
 */
export const getSessionUser = cache(async (): Promise<AuthenticatedUser | undefined> => {
  const session = await auth();
  const userId = session?.user?.id;
  const sessionId = session?.sessionId;
  if (!userId || !sessionId) return undefined;
  const live = await resolveSession({ sessionId, userId });
  if (!live) return undefined;
  if (session.tokenExpires !== undefined && sessionCookieDue(session.tokenExpires)) {
    const claims = session.user;
    await renewSessionCookie({ sub: userId, sid: sessionId, name: claims?.name, email: claims?.email, picture: claims?.image });
  }
  return live.user;
});

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireSessionUser(): Promise<AuthenticatedUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}

/**
 * For API routes: `Authorization: Bearer <token>` when the header is present
 * (a bad token is never rescued by a cookie), else the session cookie, which
 * must also pass the CSRF check on state-changing requests. `cachedToken`: a
 * token found active in the last few seconds is not looked up again (hot write
 * paths only; see lib/auth/api-token-cache.ts).
 */
export async function authenticate(request: Request, { cachedToken = false }: { cachedToken?: boolean } = {}): Promise<AuthenticatedUser> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const user = match?.[1] ? await requireApiTokenUser({ token: match[1], cached: cachedToken }) : undefined;
    if (!user) throw AppError.unauthorized("The API token is missing, malformed, unknown or revoked.");
    return user;
  }
  const user = await getSessionUser();
  if (!user) throw AppError.unauthorized();
  assertSameOriginRequest(request);
  return user;
}
