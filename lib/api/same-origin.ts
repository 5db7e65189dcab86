import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const JSON_TYPE = /^application\/json\s*(;|$)/i;

const crossSite = (message: string, reason: string) => new AppError("cross_site_request", message, { status: 403, details: { reason } });

/**
 * CSRF guard for requests authenticated by the session cookie (a browser
 * attaches it to cross-site requests too). A state-changing request must come
 * from our own pages: `Sec-Fetch-Site: same-origin` and/or an `Origin` of this
 * app (browsers send both on every non-GET fetch), and any body must be JSON,
 * which a cross-site form or no-cors fetch cannot send. Bearer tokens never
 * reach this check: a page on another site cannot read or attach them.
 */
export function assertSameOriginRequest(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const fetchSite = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  if (fetchSite !== null && fetchSite !== "same-origin") {
    throw crossSite("Requests from other sites cannot use your session.", `Sec-Fetch-Site: ${fetchSite}`);
  }
  if (origin !== null && !ownOrigins(request).has(origin)) {
    throw crossSite("Requests from other sites cannot use your session.", `Origin: ${origin}`);
  }
  if (origin === null && fetchSite === null) {
    throw crossSite("A request with the session cookie must come from this app (send an Origin header) or use an API token.", "no Origin");
  }
  const type = request.headers.get("content-type");
  if ((type !== null || hasBody(request)) && !JSON_TYPE.test(type ?? "")) {
    throw crossSite("With the session cookie, request bodies must be JSON (Content-Type: application/json).", `Content-Type: ${type ?? "none"}`);
  }
}

function hasBody(request: Request): boolean {
  return request.headers.has("transfer-encoding") || Number(request.headers.get("content-length") ?? 0) > 0;
}

/** This app's origins: the URL it was asked for (as the browser saw it, behind a proxy too) and APP_URL. */
function ownOrigins(request: Request): Set<string> {
  const url = new URL(request.url);
  const origins = new Set([url.origin]);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const protocol = request.headers.get("x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
  if (host) origins.add(`${protocol}://${host}`);
  if (env.APP_URL) origins.add(new URL(env.APP_URL).origin);
  return origins;
}
