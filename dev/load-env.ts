// Import first: the dev stack and CLIs read .env.local / .env like Next.js does (real env vars win).
import { existsSync } from "node:fs";

for (const file of [".env.local", ".env"]) {
  if (existsSync(file)) process.loadEnvFile(file);
}
