/** `npm run token -- <email> [--name <name>]`: creates an API token; the token is the last line printed. */
import "../load-env";
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDevDatabase } from "../database";

const usage = "Usage: npm run token -- <email> [--name <token name>]";
const { values, positionals } = parseArgs({ options: { name: { type: "string" } }, allowPositionals: true });
const args = z
  .object({ email: z.email().toLowerCase(), name: z.string().trim().min(1).max(100).default("cli") })
  .safeParse({ email: positionals[0], name: values.name });
if (!args.success || positionals.length !== 1) {
  console.error(args.success ? usage : `${z.prettifyError(args.error)}\n${usage}`);
  process.exit(2);
}

const database = await openDevDatabase();
let exitCode = 0;
try {
  process.env.DATABASE_URL = database.url;
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const { AppError } = await import("@/lib/errors");
  try {
    const { token, tokenId } = await createApiToken(args.data);
    console.log(`Created API token "${args.data.name}" (${tokenId}) for ${args.data.email}. It is shown once; keep it secret:`);
    console.log(token);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    console.error(error.message);
    exitCode = 1;
  }
} finally {
  await database.close();
}
process.exit(exitCode);
