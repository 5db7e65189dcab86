import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * `/api/metrics` answers to `Authorization: Bearer <METRICS_TOKEN>` only; without a METRICS_TOKEN (production's
 * default) it does not exist (404).
 */
export function authorizeScrape(request: Request, token: string | undefined = env.METRICS_TOKEN): void {
  if (!token) throw AppError.notFound("Metrics are disabled: set METRICS_TOKEN to enable them.");
  const header = request.headers.get("authorization");
  if (header === null) throw AppError.unauthorized("Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.");
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? "";
  // Compared as digests: equal lengths, and no timing hint about the token's length either.
  if (!timingSafeEqual(digest(given), digest(token))) throw AppError.unauthorized("The metrics token is wrong.");
}
