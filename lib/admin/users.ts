import "server-only";
import { findUserByEmailAnyCase, insertPasswordUser } from "@/db/queries/users";
import { hashPassword } from "@/lib/auth/password";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { canAdminister } from "@/lib/videos/policy";
import type { AdminUserDto, CreateUserInput } from "./schemas";

type UserRow = { id: string; email: string; name: string | null; passwordHash?: string | null };

const toAdminUserDto = (row: UserRow, hasPassword: boolean): AdminUserDto => ({ id: row.id, email: row.email, name: row.name, hasPassword });

/** Refuses anyone whose address is not in `ADMIN_EMAILS`. */
export function authorizeAdmin(actor: { email: string }) {
  if (!canAdminister({ email: actor.email, adminEmails: env.ADMIN_EMAILS })) {
    throw AppError.forbidden("Only administrators (the addresses in ADMIN_EMAILS) can do this.");
  }
}

/**
 * Creates an account (with a password when given, its address taken as verified: an administrator vouches for it).
 * An address that already has an account, in any case, is a 409 carrying that account, never a second one.
 */
export async function createUserAsAdmin({ actor, input }: { actor: { email: string }; input: CreateUserInput }): Promise<AdminUserDto> {
  authorizeAdmin(actor);
  const existing = await findUserByEmailAnyCase({ email: input.email });
  if (existing) throw accountExists(existing);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const created = await insertPasswordUser({ email: input.email, name: input.name, passwordHash });
  if (created) return toAdminUserDto(created, passwordHash !== null);
  // Lost a race with another request for the same address.
  const raced = await findUserByEmailAnyCase({ email: input.email });
  throw raced ? accountExists(raced) : AppError.internal();
}

function accountExists(row: UserRow & { passwordHash: string | null }) {
  return new AppError("conflict", `An account for ${row.email} already exists.`, {
    details: { reason: "account_exists", user: toAdminUserDto(row, row.passwordHash !== null) },
  });
}
