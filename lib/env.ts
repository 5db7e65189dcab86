import { z } from "zod";
import { DEVELOPMENT_SECRETS_FILE } from "@/lib/development-secrets";
import { developmentDefaults, LOCAL_DATABASE_DEFAULTS, LOCAL_STORAGE_DEFAULTS } from "@/lib/development-defaults";
import { randomSecret } from "@/lib/security/random-secret";

/**
 * Secrets that were published as defaults in Lectern's source: anyone can sign a session with them, so they are
 * refused everywhere but in tests.
 */
const PUBLIC_SECRETS = new Set([
  "lectern-local-development-secret-do-not-use-in-production",
  "lectern-local-processing-secret",
  "lectern-e2e-secret",
  "lectern-e2e-processing-secret",
]);

/** Sign-in throttling defaults (see .env.example). */
export const SIGN_IN_THROTTLE_DEFAULTS = { accountLimit: 10, addressLimit: 50, windowSeconds: 900 };

const booleanString = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const optionalString = z.string().trim().min(1).optional();

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    NEXT_PHASE: z.string().optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    LOCAL_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(LOCAL_DATABASE_DEFAULTS.port),
    HOST: z.string().trim().min(1).default("127.0.0.1"),
    AUTH_SECRET: optionalString,
    AUTH_TRUST_HOST: booleanString.optional(),
    AUTH_PASSWORD_SIGNIN: booleanString.default(true),
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
    SIGN_IN_ACCOUNT_LIMIT: z.coerce.number().int().min(1).default(SIGN_IN_THROTTLE_DEFAULTS.accountLimit),
    SIGN_IN_ADDRESS_LIMIT: z.coerce.number().int().min(1).default(SIGN_IN_THROTTLE_DEFAULTS.addressLimit),
    SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(SIGN_IN_THROTTLE_DEFAULTS.windowSeconds),
    STORAGE_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    STORAGE_REGION: optionalString,
    STORAGE_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "not a valid bucket name")
      .optional(),
    STORAGE_ACCESS_KEY: optionalString,
    STORAGE_SECRET_KEY: optionalString,
    STORAGE_FORCE_PATH_STYLE: booleanString.optional(),
    STORAGE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(2 * 1024 ** 3),
    UPLOAD_PART_SIZE: z.coerce
      .number()
      .int()
      .min(5 * 1024 * 1024, "at least 5 MiB (S3's minimum part size)")
      .max(5 * 1024 ** 3)
      .default(8 * 1024 * 1024),
    UPLOAD_URL_EXPIRY_SECONDS: z.coerce.number().int().min(60).max(604_800).default(3600),
    UPLOAD_INITIAL_PART_URLS: z.coerce.number().int().min(1).max(100).default(10),
    UPLOAD_INIT_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
    PROCESSING_SECRET: z.string().min(16, "at least 16 characters").optional(),
    PROCESSING_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    PROCESSING_RETRY_LIMIT: z.coerce.number().int().min(0).max(10).default(2),
    PROCESSING_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(30),
    PROCESSING_STALL_SECONDS: z.coerce.number().int().min(2).default(120),
    PROCESSING_TEMP_DIR: optionalString,
    FFMPEG_PATH: optionalString,
    FFPROBE_PATH: optionalString,
    // Uploads past these are refused before any transcoding (decoding cost and time are bounded).
    PROCESSING_MAX_SIDE_PIXELS: z.coerce.number().int().min(16).max(65_536).default(8192),
    PROCESSING_MAX_FPS: z.coerce.number().positive().max(10_000).default(240),
    PROCESSING_MAX_DURATION_HOURS: z.coerce.number().positive().max(1000).default(12),
    UPLOAD_TTL_HOURS: z.coerce.number().positive().default(24),
    // Viewing sessions (watch time, views) older than this are purged by the sweeper.
    WATCH_DATA_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
    MEDIA_URL_EXPIRY_SECONDS: z.coerce.number().int().min(60).max(604_800).default(21_600),
    APP_URL: z.url({ protocol: /^https?$/ }).optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/, message: "an smtp:// or smtps:// URL, e.g. smtp://user:pass@host:587" }).optional(),
    SMTP_FROM: optionalString,
    // Machine captions: the base URL of an OpenAI-compatible server (we POST to {base}/v1/audio/transcriptions).
    TRANSCRIPTION_URL: z.url({ protocol: /^https?$/, message: "an http(s) base URL such as http://whisper:8080 (without /v1/audio/transcriptions)" }).optional(),
    TRANSCRIPTION_API_KEY: optionalString,
    TRANSCRIPTION_MODEL: z.string().trim().min(1).default("whisper-1"),
    INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    // Who may create courses: "anyone" signed in (default) or only "admins" (the addresses in ADMIN_EMAILS).
    COURSE_CREATORS: z.enum(["anyone", "admins"], { message: 'must be "anyone" or "admins"' }).default("anyone"),
    ADMIN_EMAILS: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((email) => email.trim().toLowerCase())
          .filter((email) => email !== ""),
      )
      .pipe(z.array(z.email({ message: "must be a comma-separated list of email addresses" }))),
    LOCAL_S3_PORT: z.coerce.number().int().min(1024).max(65535).default(LOCAL_STORAGE_DEFAULTS.port),
    LOCAL_S3_ADMIN_PORT: z.coerce.number().int().min(1024).max(65535).default(LOCAL_STORAGE_DEFAULTS.adminPort),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    METRICS_TOKEN: z.string().trim().min(16, "at least 16 characters").optional(),
    WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(25),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.AUTH_GITHUB_ID) !== Boolean(env.AUTH_GITHUB_SECRET)) {
      ctx.addIssue({ code: "custom", path: ["AUTH_GITHUB_SECRET"], message: "set both AUTH_GITHUB_ID and AUTH_GITHUB_SECRET, or neither" });
    }
    // A production server must be pointed at real services; `next build` imports modules without serving.
    const servingProduction = env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build";
    if (servingProduction && !env.DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "required in production" });
    }
    if (Boolean(env.STORAGE_ACCESS_KEY) !== Boolean(env.STORAGE_SECRET_KEY)) {
      ctx.addIssue({ code: "custom", path: ["STORAGE_SECRET_KEY"], message: "set both STORAGE_ACCESS_KEY and STORAGE_SECRET_KEY, or neither" });
    }
    if (servingProduction && !env.STORAGE_BUCKET) {
      ctx.addIssue({ code: "custom", path: ["STORAGE_BUCKET"], message: "required in production" });
    }
    if (servingProduction && !env.PROCESSING_SECRET) {
      ctx.addIssue({ code: "custom", path: ["PROCESSING_SECRET"], message: "required in production" });
    }
    if (servingProduction && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "required in production (e.g. `openssl rand -base64 33`)" });
    }
    if (servingProduction && env.AUTH_SECRET && env.AUTH_SECRET.length < 32) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "at least 32 characters in production (e.g. `openssl rand -base64 33`)" });
    }
    if (env.NODE_ENV !== "test") {
      for (const name of ["AUTH_SECRET", "PROCESSING_SECRET"] as const) {
        if (PUBLIC_SECRETS.has(env[name] ?? "")) {
          ctx.addIssue({ code: "custom", path: [name], message: "a publicly known value from Lectern's source; generate one with `openssl rand -base64 33`" });
        }
      }
    }
  });

type ParsedEnv = z.infer<typeof schema>;

/**
 * `next build` imports modules without serving (a production server without these refused to start above): it gets
 * secrets of its own and a database address that resolves nowhere, never the local services' credentials.
 */
const UNSET_DATABASE_URL = "postgres://database-url-unset.invalid/lectern";

function productionValues(env: ParsedEnv) {
  return {
    DATABASE_URL: env.DATABASE_URL ?? UNSET_DATABASE_URL,
    AUTH_SECRET: env.AUTH_SECRET ?? randomSecret(),
    PROCESSING_SECRET: env.PROCESSING_SECRET ?? randomSecret(),
  };
}

/** An empty (or blank) value counts as unset, as `STORAGE_ENDPOINT=` in a .env file means to. */
function withoutEmptyValues(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ""),
  );
}

/** Validates an environment (process.env at startup); throws one message listing every problem. */
export function parseEnv(
  source: Record<string, string | undefined>,
  { secretsFile = DEVELOPMENT_SECRETS_FILE }: { secretsFile?: string } = {},
) {
  const parsed = schema.safeParse(withoutEmptyValues(source));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid environment variables:\n${problems}\nSee .env.example.`);
  }
  const env = parsed.data;
  const resolved =
    env.NODE_ENV === "production"
      ? productionValues(env)
      : developmentDefaults({ ...env, NODE_ENV: env.NODE_ENV }, { secretsFile });
  return {
    ...env,
    ...resolved,
    AUTH_TRUST_HOST: env.AUTH_TRUST_HOST ?? env.NODE_ENV !== "production",
  };
}

export const env = parseEnv(process.env);
export type Env = typeof env;
