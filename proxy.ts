import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, HSTS, servedOverHttps } from "@/lib/security/csp";
import { storageConfig } from "@/lib/storage/config";

/**
 * Pages get a Content-Security-Policy with a fresh nonce: Next.js reads it from the request's CSP header and puts it
 * on its scripts (every page is rendered per request). HSTS when served over https. The other security headers,
 * and API responses' headers, come from next.config.mjs.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const https = servedOverHttps({
    url: request.url,
    forwardedProto: request.headers.get("x-forwarded-proto"),
    trustProxy: env.AUTH_TRUST_HOST,
    appUrl: env.APP_URL,
  });
  const policy = contentSecurityPolicy({
    nonce,
    storage: storageConfig,
    development: env.NODE_ENV === "development",
    https,
    signInOrigins: env.AUTH_GITHUB_ID ? ["https://github.com"] : [],
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", HSTS);
  return response;
}

export const config = {
  matcher: [
    {
      // Not the API: a proxy makes Next.js buffer request bodies (uploads' JSON, anonymous junk) before the route
      // can refuse them. Not static files, nor prefetches (no document is rendered from them).
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
