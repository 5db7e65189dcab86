import { createDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { isEmpty, seed } from "./seed";

/** Migrates, then seeds when the database has no users yet (or always, when asked). */
export async function prepareDatabase({ url, alwaysSeed = false }: { url: string; alwaysSeed?: boolean }) {
  await runMigrations({ url });
  const { db, close } = createDatabase(url, { max: 1 });
  try {
    const seeded = alwaysSeed || (await isEmpty({ db }));
    if (seeded) await seed({ db });
    return { seeded };
  } finally {
    await close();
  }
}
