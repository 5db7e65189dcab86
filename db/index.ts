import "server-only";
import { env } from "@/lib/env";
import { createDatabase } from "./client";

// One pool per server process; survives hot reloads in development.
const globalForDb = globalThis as unknown as { lecternDb?: ReturnType<typeof createDatabase> };
const connection = globalForDb.lecternDb ?? createDatabase(env.DATABASE_URL);
if (env.NODE_ENV !== "production") globalForDb.lecternDb = connection;

export const db = connection.db;
export type { Database, Executor, Transaction } from "./client";

/** Ends the pool (for processes that exit cleanly, like the worker). */
export const closeDatabase = () => connection.close();
