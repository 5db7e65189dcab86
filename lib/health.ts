import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { storage } from "@/lib/storage";
import { log } from "@/lib/logger";

type Check = "database" | "storage";

/** Readiness: the database answers and the storage bucket is reachable. */
export async function checkHealth(): Promise<{ ok: boolean; checks: Record<Check, boolean> }> {
  const probe = async (name: Check, run: () => Promise<unknown>) => {
    try {
      await run();
      return true;
    } catch (error) {
      log().error({ err: error, check: name }, "health check failed");
      return false;
    }
  };
  const [database, bucket] = await Promise.all([probe("database", () => db.execute(sql`select 1`)), probe("storage", () => storage.checkBucket())]);
  return { ok: database && bucket, checks: { database, storage: bucket } };
}
