import "server-only";
import { encode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./sessions";

// Auth.js's default session cookie names (lib/utils/cookie.js): `__Secure-` when served over https.
const SECURE_NAME = "__Secure-authjs.session-token";
const PLAIN_NAME = "authjs.session-token";

export type SessionClaims = { sub: string; sid: string; name?: string | null; email?: string | null; picture?: string | null };

/** True when the JWT (its `exp`, in seconds) was issued more than a day ago. */
export function sessionCookieDue(expiresAtSeconds: number, now = Date.now()): boolean {
  return expiresAtSeconds * 1000 - now < (SESSION_MAX_AGE_SECONDS - SESSION_UPDATE_AGE_SECONDS) * 1000;
}

/**
 * Sliding renewal of the session JWT: Auth.js re-signs it only on its own /api/auth/session route, and `auth()`
 * drops the cookie it would set. Re-sign it with a fresh expiry as Auth.js would. Only Route Handlers and Server
 * Actions may set cookies: during a page render this does nothing, and the next API call or action renews it.
 */
export async function renewSessionCookie(claims: SessionClaims): Promise<boolean> {
  const jar = await cookies();
  const secure = jar.has(SECURE_NAME);
  const name = secure ? SECURE_NAME : PLAIN_NAME;
  // A chunked cookie (name.0, name.1…) is Auth.js's to rewrite; ours stay far below the 4 KB that chunking starts at.
  if (!jar.has(name)) return false;
  const token = await encode({ token: claims, secret: env.AUTH_SECRET, salt: name, maxAge: SESSION_MAX_AGE_SECONDS });
  try {
    jar.set(name, token, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure,
      expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    });
    return true;
  } catch {
    // Rendering a Server Component: cookies are read-only here.
    return false;
  }
}
