import { z } from "zod";

/** The database the dev stack's embedded PostgreSQL serves when DATABASE_URL is unset. */
export const LOCAL_DATABASE_DEFAULTS = { user: "lectern", password: "lectern", database: "lectern", port: 54329 };

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
    AUTH_SECRET: optionalString,
    AUTH_TRUST_HOST: booleanString.optional(),
    AUTH_PASSWORD_SIGNIN: booleanString.default(true),
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
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
    if (servingProduction && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "required in production (e.g. `openssl rand -base64 33`)" });
    }
  });

/** Validates an environment (process.env at startup); throws one message listing every problem. */
export function parseEnv(source: Record<string, string | undefined>) {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid environment variables:\n${problems}\nSee .env.example.`);
  }
  const env = parsed.data;
  const local = LOCAL_DATABASE_DEFAULTS;
  return {
    ...env,
    DATABASE_URL:
      env.DATABASE_URL ??
      `postgres://${local.user}:${local.password}@127.0.0.1:${env.LOCAL_PG_PORT}/${local.database}`,
    // Development only: production refuses to start without AUTH_SECRET (checked above).
    AUTH_SECRET: env.AUTH_SECRET ?? "lectern-local-development-secret-do-not-use-in-production",
    AUTH_TRUST_HOST: env.AUTH_TRUST_HOST ?? env.NODE_ENV !== "production",
  };
}

export const env = parseEnv(process.env);
export type Env = typeof env;
