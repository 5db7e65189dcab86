import "server-only";
import { eq } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { users } from "@/db/schema";

export async function findUserByEmail({ email, tx = db }: { email: string; tx?: Executor }) {
  const [user] = await tx.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user;
}
