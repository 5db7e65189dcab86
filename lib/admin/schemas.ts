import { z } from "zod";
import { emailSchema, passwordSchema } from "@/lib/courses/member-schemas";

/** Shared by the admin routes, the OpenAPI document and the Playwright kit (kit/). */

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string({ message: "Enter a name." }).trim().min(1, "Enter a name.").max(200, "Use at most 200 characters."),
  /** Omitted: the account has no password (it signs in another way, or an operator sets one later). */
  password: passwordSchema.optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const adminUserDtoSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  hasPassword: z.boolean().describe("Whether the account can sign in with a password"),
});
export type AdminUserDto = z.infer<typeof adminUserDtoSchema>;

/** `details` of the 409 for an address that already has an account: the existing one, so a script can go on with it. */
export const existingUserDetailsSchema = z.object({ reason: z.literal("account_exists"), user: adminUserDtoSchema });
