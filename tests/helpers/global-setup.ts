import type { TestProject } from "vitest/node";
import { openTestDatabase } from "@/dev/database";
import { prepareDatabase } from "@/dev/prepare-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** One fresh, migrated and seeded database for the whole run (real PostgreSQL). */
export default async function setup(project: TestProject) {
  const database = await openTestDatabase();
  await prepareDatabase({ url: database.url, alwaysSeed: true });
  project.provide("databaseUrl", database.url);
  return () => database.close();
}
