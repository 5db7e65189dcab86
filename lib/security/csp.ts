import type { StorageConfig } from "@/lib/storage/storage";

/** HSTS for two years; sent only on responses served over https (browsers ignore it over http anyway). */
export const HSTS = "max-age=63072000; includeSubDomains";

type StorageOrigins = Pick<StorageConfig, "endpoint" | "region" | "bucket" | "forcePathStyle" | "publicUrl">;

/**
 * Where browsers talk to storage: the endpoint part URLs and presigned media URLs point at (as the AWS SDK builds
 * them: path-style, or the bucket as a subdomain), and STORAGE_PUBLIC_URL.
 */
export function storageOrigins(config: StorageOrigins): string[] {
  const origins = new Set<string>();
  // The SDK falls back to path-style for bucket names that cannot be a TLS host label.
  const pathStyle = config.forcePathStyle || config.bucket.includes(".");
  if (config.endpoint) {
    const endpoint = new URL(config.endpoint);
    origins.add(pathStyle ? endpoint.origin : `${endpoint.protocol}//${config.bucket}.${endpoint.host}`);
  } else {
    origins.add(pathStyle ? `https://s3.${config.region}.amazonaws.com` : `https://${config.bucket}.s3.${config.region}.amazonaws.com`);
  }
  if (config.publicUrl) origins.add(new URL(config.publicUrl).origin);
  return [...origins];
}

export type PolicyOptions = {
  /** Fresh for every response. */
  nonce: string;
  storage: StorageOrigins;
  /** `next dev`: React's dev build needs eval (never in production). */
  development: boolean;
  https: boolean;
  /** Origins a sign-in form may be redirected to (an OAuth provider's authorize page). */
  signInOrigins?: string[];
};

/**
 * The pages' Content-Security-Policy. Scripts only with this response's nonce (Next.js puts it on its own scripts)
 * and what they load ('strict-dynamic'). Storage origins for uploads (part PUTs), playback (hls.js fetches
 * playlists and segments; posters and storyboards redirect there) and images; hls.js plays through MSE from blob:
 * media and runs its transmuxer in a Worker made from a blob: URL; it gives each caption track it renders a
 * `<track src="data:,WEBVTT">` (an empty track it fills with cues), which media-src must allow. Inline style
 * attributes are allowed (React's server-rendered `style`); with a nonce in style-src they would be blocked.
 */
export function contentSecurityPolicy({ nonce, storage, development, https, signInOrigins = [] }: PolicyOptions): string {
  const stores = storageOrigins(storage).join(" ");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${stores}`,
    `media-src 'self' blob: data: ${stores}`,
    `connect-src 'self' ${stores}`,
    "worker-src 'self' blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${signInOrigins.map((origin) => ` ${origin}`).join("")}`,
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/**
 * Whether the browser reached us over https: directly, through a proxy we trust to say so (AUTH_TRUST_HOST and
 * `X-Forwarded-Proto`), or because the app's public URL is https.
 */
export function servedOverHttps({
  url,
  forwardedProto,
  trustProxy,
  appUrl,
}: {
  url: string;
  forwardedProto: string | null;
  trustProxy: boolean;
  appUrl?: string;
}): boolean {
  if (new URL(url).protocol === "https:") return true;
  if (trustProxy && forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https") return true;
  return appUrl?.startsWith("https:") ?? false;
}
