import { defineConfig } from "drizzle-kit";

// `db:generate` only diffs the schema against committed migrations; it needs no database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  strict: true,
  verbose: true,
});
