import { z } from "zod";

/**
 * Fault injection for tests: the next `count` requests of an operation
 * (UploadPart by default) fail with a status, have their connection cut
 * mid-body, are delayed or have their body read slowly; or, with `kind: "mixed"`, every Nth (or a random
 * share) of them get one of several faults in turn. Set through the store's
 * admin endpoint.
 */
export const faultSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("status"),
    status: z.union([z.literal(500), z.literal(503), z.literal(429)]),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  }),
  z.object({ kind: z.literal("reset"), afterBytes: z.number().int().min(0).default(64 * 1024) }),
  z.object({ kind: z.literal("latency"), ms: z.number().int().min(1).max(120_000) }),
  // Reads the body of an upload or put at this rate, or sends a GetObject's at it, as a slow link would.
  z.object({ kind: z.literal("throttle"), bytesPerSecond: z.number().int().min(1024).max(1024 ** 3) }),
  // Answers as S3 does to a presigned URL past its expiry, without waiting for one to expire.
  z.object({ kind: z.literal("expired") }),
]);

const mixedSchema = z
  .object({
    kind: z.literal("mixed"),
    /** Applied in turn, one per faulted request. */
    faults: z.array(faultSchema).min(1).max(20),
    /** Every Nth matching request is faulted (5: 20%)… */
    every: z.number().int().min(1).max(10_000).optional(),
    /** …or each one with this probability, drawn from a seeded generator so a run can be repeated. */
    rate: z.number().gt(0).max(1).optional(),
    seed: z.number().int().default(1),
  })
  .refine((mixed) => (mixed.every === undefined) !== (mixed.rate === undefined), "Give exactly one of every and rate.");

const ruleOptions = z.object({
  operation: z.enum(["UploadPart", "PutObject", "CompleteMultipartUpload", "GetObject", "any"]).default("UploadPart"),
  /** How many faults the rule injects before it is spent. */
  count: z.number().int().min(1).max(10_000).default(1),
  /** Only requests for keys under this prefix, so parallel tests do not trip over each other's faults. */
  keyPrefix: z.string().optional(),
});

export const faultRequestSchema = z.intersection(z.union([faultSchema, mixedSchema]), ruleOptions);

export type Fault = z.infer<typeof faultSchema>;
export type FaultRequest = z.infer<typeof faultRequestSchema>;
export type FaultRule = FaultRequest & {
  remaining: number;
  /** Requests this rule looked at (for `mixed`, faulted or not). */
  matched: number;
  /** Faults it injected, by kind (`status` as `status 503`). */
  injected: Record<string, number>;
};

/** mulberry32: a small seeded generator in [0, 1). */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const faultName = (fault: Fault) => (fault.kind === "status" ? `status ${fault.status}` : fault.kind);

export class Faults {
  private rules: { rule: FaultRule; random: () => number }[] = [];
  /** Requests per operation, body bytes received for parts and objects, and faults injected by kind, for assertions. */
  readonly stats = { requests: {} as Record<string, number>, bytesReceived: 0, faultsInjected: {} as Record<string, number> };

  add(request: FaultRequest) {
    const rule: FaultRule = { ...request, remaining: request.count, matched: 0, injected: {} };
    this.rules.push({ rule, random: seeded(request.kind === "mixed" ? request.seed : 1) });
  }

  clear() {
    this.rules = [];
  }

  resetStats() {
    this.stats.requests = {};
    this.stats.bytesReceived = 0;
    this.stats.faultsInjected = {};
  }

  list(): FaultRule[] {
    return this.rules.map(({ rule }) => rule).filter((rule) => rule.remaining > 0);
  }

  /** The fault to apply to this request, if any (consumes one). */
  take(operation: string, key: string): Fault | undefined {
    this.stats.requests[operation] = (this.stats.requests[operation] ?? 0) + 1;
    for (const { rule, random } of this.rules) {
      if (rule.remaining <= 0 || (rule.operation !== operation && rule.operation !== "any")) continue;
      if (rule.keyPrefix !== undefined && !key.startsWith(rule.keyPrefix)) continue;
      rule.matched += 1;
      let fault: Fault;
      if (rule.kind === "mixed") {
        const hit = rule.every === undefined ? random() < (rule.rate ?? 0) : rule.matched % rule.every === 0;
        if (!hit) continue;
        const injected = Object.values(rule.injected).reduce((sum, n) => sum + n, 0);
        fault = rule.faults[injected % rule.faults.length] ?? { kind: "latency", ms: 1 };
      } else {
        fault = rule;
      }
      rule.remaining -= 1;
      const name = faultName(fault);
      rule.injected[name] = (rule.injected[name] ?? 0) + 1;
      this.stats.faultsInjected[name] = (this.stats.faultsInjected[name] ?? 0) + 1;
      return fault;
    }
    return undefined;
  }
}
