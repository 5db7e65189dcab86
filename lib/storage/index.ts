import "server-only";
import { env } from "@/lib/env";
import { storageConfig } from "./config";
import { createStorage } from "./storage";

const globalForStorage = globalThis as unknown as { lecternStorage?: ReturnType<typeof createStorage> };

/** The app's storage, configured from STORAGE_* (or the local store in development). */
export const storage = globalForStorage.lecternStorage ?? createStorage(storageConfig);
if (env.NODE_ENV !== "production") globalForStorage.lecternStorage = storage;

export { storageConfig } from "./config";
export { storageErrorCode, type Storage, type UploadedPart } from "./storage";
export * from "./keys";
