import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { createDatabase } from "./client";
import { indexUnindexedCaptionTracks } from "./queries/caption-cues";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** Applies committed migrations. An advisory lock lets several processes call it at once safely. */
export async function runMigrations({ url }: { url: string }): Promise<void> {
  const { db, sql, close } = createDatabase(url, { max: 1 });
  try {
    await sql`select pg_advisory_lock(727274)`;
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    // Data the migrations cannot make in SQL: the search's cues of tracks stored before they were indexed.
    await db.transaction((tx) => indexUnindexedCaptionTracks({ tx }));
    await sql`select pg_advisory_unlock(727274)`;
  } finally {
    await close();
  }
}
