import "../load-env";
import { runMigrations } from "@/db/migrate";
import { openDevDatabase } from "../database";

const database = await openDevDatabase();
try {
  await runMigrations({ url: database.url });
  console.log("Migrations applied.");
} finally {
  await database.close();
}
