/**
 * `npm run store`: the local S3-compatible store on its own (the dev stack starts it for you).
 * Prints `READY {"endpoint":…,"adminEndpoint":…}` once listening.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { LOCAL_STORAGE_DEFAULTS } from "@/lib/development-defaults";
import { startS3Store } from "./server";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string", default: ".data/s3" },
    port: { type: "string", default: String(LOCAL_STORAGE_DEFAULTS.port) },
    "admin-port": { type: "string", default: String(LOCAL_STORAGE_DEFAULTS.adminPort) },
    mode: { type: "string", default: "s3" },
    bucket: { type: "string", default: LOCAL_STORAGE_DEFAULTS.bucket },
    origin: { type: "string", multiple: true, default: ["http://localhost:3000"] },
  },
});
const options = z
  .object({
    "data-dir": z.string().min(1),
    port: z.coerce.number().int().min(0).max(65535),
    "admin-port": z.coerce.number().int().min(0).max(65535),
    mode: z.enum(["s3", "r2"]),
    bucket: z.string().min(3),
    origin: z.array(z.url()),
  })
  .parse(values);

const { appCorsRules } = await import("../local-storage");
const store = await startS3Store({
  dataDir: path.resolve(options["data-dir"]),
  port: options.port,
  adminPort: options["admin-port"],
  mode: options.mode,
  credentials: [{ accessKeyId: LOCAL_STORAGE_DEFAULTS.accessKeyId, secretAccessKey: LOCAL_STORAGE_DEFAULTS.secretAccessKey }],
  buckets: [{ name: options.bucket, cors: appCorsRules(options.origin) }],
  log: (line) => console.error(`[storage] ${line}`),
});
console.log(`READY ${JSON.stringify({ endpoint: store.endpoint, adminEndpoint: store.adminEndpoint })}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void store.close().then(() => process.exit(0)));
}
