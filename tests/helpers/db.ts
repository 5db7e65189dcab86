import { inject } from "vitest";
import { createDatabase } from "@/db/client";

/** A separate connection for assertions, so tests see what really reached the database. */
export function testDatabase() {
  return createDatabase(inject("databaseUrl"), { max: 2 });
}
