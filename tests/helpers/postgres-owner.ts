// Child process for the launcher test: starts the embedded PostgreSQL on a data dir and stays up until killed.
import { startLocalPostgres } from "@/dev/postgres";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: postgres-owner.ts <dataDir>");
const server = await startLocalPostgres({ dataDir, port: 0, user: "lectern", password: "lectern" });
console.log(`READY ${server.port}`);
setInterval(() => {}, 60_000);
