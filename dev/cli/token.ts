/**
 * `npm run token -- <email> [--name <name>] [--expires-in-days <n>]`: creates an API token; the token is the last
 * line printed. `--list <email>` shows a user's tokens; `--revoke <token id>` revokes one.
 */
import "../load-env";
import { parseArgs } from "node:util";
import { z } from "zod";
import { expiresInDaysSchema, tokenNameSchema } from "@/lib/auth/api-token-schemas";
import { openDevDatabase } from "../database";

const usage = [
  "Usage: npm run token -- <email> [--name <token name>] [--expires-in-days <days>]",
  "       npm run token -- --list <email>",
  "       npm run token -- --revoke <token id>",
].join("\n");

const parsed = (() => {
  try {
    return parseArgs({
      options: { name: { type: "string" }, "expires-in-days": { type: "string" }, list: { type: "string" }, revoke: { type: "string" } },
      allowPositionals: true,
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
})();
const { values, positionals } = parsed;

const emailSchema = z.email("not a valid email address").toLowerCase();
const commandSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("list"), email: emailSchema }),
  z.object({ command: z.literal("revoke"), tokenId: z.uuid("not a token id (a UUID, as --list shows)") }),
  z.object({
    command: z.literal("create"),
    email: emailSchema,
    name: tokenNameSchema.default("cli"),
    expiresInDays: z.coerce.number().pipe(expiresInDaysSchema).optional(),
  }),
]);

const modes = [values.list !== undefined, values.revoke !== undefined, positionals.length > 0].filter(Boolean).length;
const command =
  values.list !== undefined
    ? { command: "list", email: values.list }
    : values.revoke !== undefined
      ? { command: "revoke", tokenId: values.revoke }
      : { command: "create", email: positionals[0], name: values.name, expiresInDays: values["expires-in-days"] };
const args = commandSchema.safeParse(command);
const misused = modes !== 1 || positionals.length > 1 || (command.command !== "create" && (values.name !== undefined || values["expires-in-days"] !== undefined));
if (!args.success || misused) {
  console.error(args.success ? usage : `${z.prettifyError(args.error)}\n${usage}`);
  process.exit(2);
}

const database = await openDevDatabase();
let exitCode = 0;
try {
  process.env.DATABASE_URL = database.url;
  const tokens = await import("@/lib/auth/api-tokens");
  const { AppError } = await import("@/lib/errors");
  try {
    const input = args.data;
    if (input.command === "list") {
      const list = await tokens.listApiTokensByEmail({ email: input.email });
      if (list.length === 0) console.log(`${input.email} has no API tokens.`);
      else console.table(list.map(({ id, name, status, createdAt, lastUsedAt, expiresAt }) => ({ id, name, status, createdAt, lastUsedAt: lastUsedAt ?? "never", expiresAt: expiresAt ?? "never" })));
    } else if (input.command === "revoke") {
      const token = await tokens.revokeApiToken({ tokenId: input.tokenId });
      console.log(`Revoked API token "${token.name}" (${token.id}) at ${token.revokedAt}.`);
    } else {
      const { token, tokenId, expiresAt } = await tokens.createApiToken(input);
      const expiry = expiresAt ? `; it expires ${expiresAt}` : "; it never expires";
      console.log(`Created API token "${input.name}" (${tokenId}) for ${input.email}${expiry}. It is shown once; keep it secret:`);
      console.log(token);
    }
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    console.error(error.message);
    exitCode = 1;
  }
} finally {
  await database.close();
}
process.exit(exitCode);
