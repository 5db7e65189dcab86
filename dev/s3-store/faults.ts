import { z } from "zod";

/**
 * Fault injection for tests: the next `count` requests of an operation
 * (UploadPart by default) fail with a status, have their connection cut
 * mid-body, or are delayed. Set through the store's admin endpoint.
 */
export const faultSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("status"),
    status: z.union([z.literal(500), z.literal(503), z.literal(429)]),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  }),
  z.object({ kind: z.literal("reset"), afterBytes: z.number().int().min(0).default(64 * 1024) }),
  z.object({ kind: z.literal("latency"), ms: z.number().int().min(1).max(120_000) }),
  // Answers as S3 does to a presigned URL past its expiry, without waiting for one to expire.
  z.object({ kind: z.literal("expired") }),
]);

export const faultRequestSchema = z.intersection(
  faultSchema,
  z.object({
    operation: z.enum(["UploadPart", "PutObject", "CompleteMultipartUpload", "GetObject", "any"]).default("UploadPart"),
    count: z.number().int().min(1).max(10_000).default(1),
    /** Only requests for keys under this prefix, so parallel tests do not trip over each other's faults. */
    keyPrefix: z.string().optional(),
  }),
);

export type Fault = z.infer<typeof faultSchema>;
export type FaultRule = z.infer<typeof faultRequestSchema> & { remaining: number };

export class Faults {
  private rules: FaultRule[] = [];
  /** Requests per operation and body bytes received for parts and objects, for assertions. */
  readonly stats = { requests: {} as Record<string, number>, bytesReceived: 0 };

  add(rule: z.infer<typeof faultRequestSchema>) {
    this.rules.push({ ...rule, remaining: rule.count });
  }

  clear() {
    this.rules = [];
  }

  resetStats() {
    this.stats.requests = {};
    this.stats.bytesReceived = 0;
  }

  list() {
    return this.rules.filter((rule) => rule.remaining > 0);
  }

  /** The fault to apply to this request, if any (consumes one). */
  take(operation: string, key: string): Fault | undefined {
    this.stats.requests[operation] = (this.stats.requests[operation] ?? 0) + 1;
    const rule = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.operation === operation || candidate.operation === "any") &&
        (candidate.keyPrefix === undefined || key.startsWith(candidate.keyPrefix)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule;
  }
}
