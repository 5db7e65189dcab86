import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalPostgres, type LocalPostgres } from "@/dev/postgres";

const dataDir = path.join(process.cwd(), ".data", `test-launcher-${process.pid}`);
const credentials = { user: "lectern", password: "lectern" };
const started: LocalPostgres[] = [];

async function start() {
  const lines: string[] = [];
  const server = await startLocalPostgres({ dataDir, port: 0, ...credentials, log: (line) => lines.push(line) });
  started.push(server);
  return { server, lines };
}

async function answers(server: LocalPostgres) {
  const sql = postgres(server.url("postgres"), { max: 1 });
  try {
    const [row] = await sql`select 1 as one`;
    return row?.one === 1;
  } finally {
    await sql.end();
  }
}

const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);

/** Another process that owns the server, like a running `npm run dev`. */
function startOwner() {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "tests/helpers/postgres-owner.ts", dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /READY (\d+)/.exec(chunk.toString());
      if (match?.[1]) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`owner exited with ${code}`)));
  });
  return { child, port };
}

afterAll(async () => {
  for (const server of started) await server.stop().catch(() => {});
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(`${dataDir}.owner`, { force: true });
});

describe("embedded PostgreSQL launcher", () => {
  it("reuses a server whose owner is alive, and takes over an orphan after the owner is killed", async () => {
    const owner = startOwner();
    const ownerPort = await owner.port;

    const reused = await start();
    expect(reused.server.owned).toBe(false);
    expect(reused.server.port).toBe(ownerPort);
    expect(await answers(reused.server)).toBe(true);

    // A killed `npm run dev`: its PostgreSQL keeps running with nobody to stop it.
    const orphanPid = postmasterPid();
    owner.child.kill("SIGKILL");
    await new Promise((resolve) => owner.child.once("exit", resolve));

    const recovered = await start();
    expect(recovered.lines.join("\n")).toMatch(/orphaned PostgreSQL/);
    expect(recovered.server.owned).toBe(true);
    expect(postmasterPid()).not.toBe(orphanPid);
    expect(await answers(recovered.server)).toBe(true);
    await recovered.server.stop();
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
  }, 120_000);

  it("starts over a stale postmaster.pid whose process is gone", async () => {
    await fs.writeFile(path.join(dataDir, "postmaster.pid"), "999999\n/nowhere\n0\n5432\n");
    const { server, lines } = await start();
    expect(lines.join("\n")).toMatch(/stale postmaster\.pid/);
    expect(await answers(server)).toBe(true);
    await server.stop();
  }, 60_000);
});
