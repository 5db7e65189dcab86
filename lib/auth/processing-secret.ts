import "server-only";
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { authenticate } from "./current-user";

/**
 * Internal endpoints answer only to the processing secret (`X-Processing-Secret`).
 * A signed-in user or a user's token is recognised and refused (403); anyone else gets 401.
 */
export async function authenticateProcessing(request: Request): Promise<void> {
  const secret = request.headers.get("x-processing-secret");
  if (secret !== null) {
    const given = Buffer.from(secret);
    const expected = Buffer.from(env.PROCESSING_SECRET);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
    throw AppError.forbidden("The processing secret is wrong.");
  }
  await authenticate(request);
  throw AppError.forbidden("This endpoint is for the processing pipeline only.");
}
