// Security headers for every response; pages' Content-Security-Policy (it needs a nonce) and their HSTS come from
// proxy.ts. API responses are data, never documents: nothing may load or frame them.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), browsing-topics=(), fullscreen=(self), picture-in-picture=(self)",
  },
  { key: "X-Frame-Options", value: "DENY" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and Node-only packages stay out of the server bundle (pino and pino-pretty are on Next.js's own list).
  serverExternalPackages: ["@node-rs/argon2", "postgres", "prom-client"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
      // Behind a TLS-terminating proxy. headers() is fixed at build time, so AUTH_TRUST_HOST cannot gate this; it need
      // not: browsers ignore HSTS received over plain http (RFC 6797 §8.1), so a forged header pins nothing.
      {
        source: "/api/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }],
      },
    ];
  },
};

export default nextConfig;
