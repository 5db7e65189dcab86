import path from "node:path";
import type { TestProject } from "vitest/node";
import { DATA_DIR, openTestDatabase } from "@/dev/database";
import { startLocalStorage } from "@/dev/local-storage";
import { prepareDatabase } from "@/dev/prepare-database";

export type ProvidedStorage = {
  endpoint: string;
  adminEndpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    storage: ProvidedStorage;
  }
}

export const TEST_ORIGIN = "http://localhost:3999";

/** Real services for the whole run: a fresh migrated, seeded database and a fresh local S3 store. */
export default async function setup(project: TestProject) {
  const database = await openTestDatabase();
  await prepareDatabase({ url: database.url, alwaysSeed: true });
  project.provide("databaseUrl", database.url);

  const { store, env } = await startLocalStorage({
    dataDir: path.join(DATA_DIR, `test-s3-${process.pid}`),
    port: 0,
    adminPort: 0,
    appOrigins: [TEST_ORIGIN],
    fresh: true,
  });
  project.provide("storage", {
    endpoint: store.endpoint,
    adminEndpoint: store.adminEndpoint,
    region: env.STORAGE_REGION ?? "",
    bucket: env.STORAGE_BUCKET ?? "",
    accessKeyId: env.STORAGE_ACCESS_KEY ?? "",
    secretAccessKey: env.STORAGE_SECRET_KEY ?? "",
  });

  return async () => {
    await store.close();
    await import("node:fs/promises").then((fs) => fs.rm(path.join(DATA_DIR, `test-s3-${process.pid}`), { recursive: true, force: true }));
    await database.close();
  };
}
