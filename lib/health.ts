import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";

/** Readiness: the database answers. */
export async function checkHealth(): Promise<{ ok: boolean }> {
  try {
    await db.execute(sql`select 1`);
    return { ok: true };
  } catch (error) {
    console.error("[health] database check failed:", error);
    return { ok: false };
  }
}
