import "../load-env";
import { openDevDatabase } from "../database";
import { prepareDatabase } from "../prepare-database";
import { SEED, SEED_PASSWORD } from "../seed";

const database = await openDevDatabase();
try {
  await prepareDatabase({ url: database.url, alwaysSeed: true });
  const emails = Object.values(SEED.users).map((user) => user.email);
  console.log(`Seeded ${emails.join(", ")} (password: ${SEED_PASSWORD}).`);
} finally {
  await database.close();
}
