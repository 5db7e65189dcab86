import "server-only";
import { eq, sql } from "drizzle-orm";
import { db, type Executor } from "@/db";
import { users } from "@/db/schema";

export async function findUserByEmail({ email, tx = db }: { email: string; tx?: Executor }) {
  const [user] = await tx.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user;
}

/** Creates a password account (no password with `passwordHash: null`); undefined when the email is taken (any case). */
export async function insertPasswordUser({ email, name, passwordHash, tx = db }: { email: string; name: string; passwordHash: string | null; tx?: Executor }) {
  const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`).limit(1);
  if (taken) return undefined;
  const [user] = await tx
    .insert(users)
    .values({ email: email.toLowerCase(), name, passwordHash, emailVerified: sql`now()` })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, email: users.email, name: users.name });
  return user;
}

/** The user with this email in any case (users_email_lower_idx), for invitations. */
export async function findUserByEmailAnyCase({ email, tx = db }: { email: string; tx?: Executor }) {
  const [user] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`).limit(1);
  return user;
}
