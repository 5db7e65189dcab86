import "server-only";
import { env } from "@/lib/env";

/**
 * The origin people reach the app at, for links that leave it (invitation emails): APP_URL when set, else the
 * origin of the request as the browser saw it (behind a trusted proxy, its X-Forwarded-Host and -Proto).
 */
export function publicOrigin(headers: Headers, requestUrl?: string): string {
  if (env.APP_URL) return new URL(env.APP_URL).origin;
  const forwardedHost = env.AUTH_TRUST_HOST ? headers.get("x-forwarded-host") : null;
  const host = forwardedHost ?? headers.get("host");
  if (host) {
    const forwardedProto = env.AUTH_TRUST_HOST ? headers.get("x-forwarded-proto") : null;
    const protocol = forwardedProto ?? (requestUrl ? new URL(requestUrl).protocol.replace(/:$/, "") : "http");
    return `${protocol}://${host}`;
  }
  if (requestUrl) return new URL(requestUrl).origin;
  return "http://localhost:3000";
}

export const requestOrigin = (request: Request) => publicOrigin(request.headers, request.url);
