import { inject } from "vitest";

// Before any test file imports the app's db or storage module, which read the environment once.
process.env.DATABASE_URL = inject("databaseUrl");
const storage = inject("storage");
process.env.STORAGE_ENDPOINT = storage.endpoint;
process.env.STORAGE_REGION = storage.region;
process.env.STORAGE_BUCKET = storage.bucket;
process.env.STORAGE_ACCESS_KEY = storage.accessKeyId;
process.env.STORAGE_SECRET_KEY = storage.secretAccessKey;
process.env.STORAGE_FORCE_PATH_STYLE = "true";
// Processing tests spawn workers with this environment: short stall detection and retry delays keep them quick.
process.env.PROCESSING_STALL_SECONDS = "4";
process.env.PROCESSING_RETRY_DELAY_SECONDS = "1";
