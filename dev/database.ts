import path from "node:path";
import { LOCAL_DATABASE_DEFAULTS } from "@/lib/development-defaults";
import { startLocalPostgres, type LocalPostgres } from "./postgres";

export const DATA_DIR = path.join(process.cwd(), ".data");

export type DevDatabase = { url: string; embedded: boolean; close(): Promise<void> };

const say = (line: string) => console.log(`[postgres] ${line}`);

/**
 * The database for the dev stack and the CLI scripts: DATABASE_URL when set,
 * else the embedded server in .data/postgres (started, or reused when another
 * local process already runs it).
 */
export async function openDevDatabase(): Promise<DevDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, embedded: false, close: async () => {} };

  const port = Number(process.env.LOCAL_PG_PORT || LOCAL_DATABASE_DEFAULTS.port);
  const server = await startLocalPostgres({
    dataDir: path.join(DATA_DIR, "postgres"),
    port,
    user: LOCAL_DATABASE_DEFAULTS.user,
    password: LOCAL_DATABASE_DEFAULTS.password,
    log: say,
  });
  await server.ensureDatabase(LOCAL_DATABASE_DEFAULTS.database);
  return { url: server.url(LOCAL_DATABASE_DEFAULTS.database), embedded: true, close: () => server.stop() };
}

/**
 * A fresh database for one test run: a new database on the embedded test
 * server (.data/test-postgres, any free port), or TEST_DATABASE_URL as given.
 */
export async function openTestDatabase(): Promise<DevDatabase> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return { url: given, embedded: false, close: async () => {} };

  const server: LocalPostgres = await startLocalPostgres({
    dataDir: path.join(DATA_DIR, "test-postgres"),
    port: 0,
    user: LOCAL_DATABASE_DEFAULTS.user,
    password: LOCAL_DATABASE_DEFAULTS.password,
    log: say,
  });
  const name = `lectern_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await server.ensureDatabase(name);
  return {
    url: server.url(name),
    embedded: true,
    close: async () => {
      await server.dropDatabase(name).catch(() => {});
      await server.stop();
    },
  };
}
