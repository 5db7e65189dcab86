import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { randomSecret } from "@/lib/security/random-secret";

/** Where `npm run dev`, the worker and the CLIs keep the secrets generated on first run (git-ignored). */
export const DEVELOPMENT_SECRETS_FILE = path.join(process.cwd(), ".data", "dev-secrets.json");

const secretsSchema = z.object({ AUTH_SECRET: z.string().min(32), PROCESSING_SECRET: z.string().min(32) });
export type GeneratedSecrets = z.infer<typeof secretsSchema>;

/**
 * The development secrets in `file`, created with random values if it does not exist yet. Several processes may
 * start at once (the stack, Next.js, the worker): the file is written aside and linked into place, so the first
 * one wins and everybody reads the same values.
 */
export function loadDevelopmentSecrets(file: string = DEVELOPMENT_SECRETS_FILE): GeneratedSecrets {
  let text = readIfExists(file);
  if (text === undefined) {
    mkdirSync(path.dirname(file), { recursive: true });
    const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    const secrets: GeneratedSecrets = { AUTH_SECRET: randomSecret(), PROCESSING_SECRET: randomSecret() };
    writeFileSync(draft, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      rmSync(draft, { force: true });
    }
    text = readFileSync(file, "utf8");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const secrets = secretsSchema.safeParse(parsed);
  if (!secrets.success) {
    throw new Error(`${file} is not a valid secrets file: delete it and a new one is generated on the next start.`);
  }
  return secrets.data;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
