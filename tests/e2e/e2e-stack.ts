import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type E2eStack = {
  databaseUrl: string;
  /** Random per run (dev/stack.ts --e2e): the server refuses the old published defaults. */
  authSecret: string;
  processingSecret: string;
  /** The server's METRICS_TOKEN. */
  metricsToken: string;
  storage: {
    STORAGE_ENDPOINT: string;
    STORAGE_REGION: string;
    STORAGE_BUCKET: string;
    STORAGE_ACCESS_KEY: string;
    STORAGE_SECRET_KEY: string;
    adminEndpoint: string;
  };
  /** The stack's SMTP server (dev/mail-catcher.ts): the app's SMTP_URL, and where each message it got is a JSON file. */
  mail: { smtpUrl: string; dir: string };
};

/** What the e2e stack (dev/stack.ts --e2e) recorded about itself: its fresh database, store and secrets. */
export function e2eStack(): E2eStack {
  return JSON.parse(readFileSync(path.join(process.cwd(), ".data", "e2e-stack.json"), "utf8")) as E2eStack;
}

/** Runs the real `npm run token` CLI against the e2e database; returns everything it printed. */
export async function runTokenCli(args: string[]) {
  const { stdout, stderr } = await run("npm", ["run", "--silent", "token", "--", ...args], {
    env: { ...process.env, DATABASE_URL: e2eStack().databaseUrl },
  });
  return { stdout, stderr };
}

export async function createApiToken(email: string): Promise<string> {
  const { stdout } = await runTokenCli([email]);
  const token = stdout.trim().split("\n").at(-1);
  if (!token) throw new Error(`npm run token printed nothing: ${stdout}`);
  return token;
}

/** The JSON log lines the e2e app server has written so far (dev/stack.ts --e2e copies its output there). */
export function e2eAppLog(): Record<string, unknown>[] {
  return readFileSync(path.join(process.cwd(), ".data", "e2e-app.log"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
