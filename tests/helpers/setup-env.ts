import { inject } from "vitest";

// Before any test file imports the app's db module, which reads DATABASE_URL once.
process.env.DATABASE_URL = inject("databaseUrl");
