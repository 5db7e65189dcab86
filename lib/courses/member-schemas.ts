import { z } from "zod";
import type { CourseRole } from "@/db/schema";

/** Shared by the member and invitation routes, the members page and the OpenAPI document. */

export const COURSE_ROLES = ["owner", "instructor", "editor", "viewer"] as const satisfies readonly CourseRole[];
export const courseRoleSchema = z.enum(COURSE_ROLES, { message: "Role must be owner, instructor, editor or viewer." });

export const MAX_BULK_INVITATIONS = 500;

/** An address as typed: trimmed and lowercased, so addresses compare case-insensitively everywhere. */
export const emailSchema = z
  .string({ message: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(320, "An email address has at most 320 characters.")
  .pipe(z.email("Enter a valid email address."));

export const inviteSchema = z.object({ email: emailSchema, role: courseRoleSchema });
export type InviteInput = z.infer<typeof inviteSchema>;

export const bulkInviteSchema = z.object({
  emails: z
    .array(z.string().max(1000, "An entry has at most 1,000 characters."), { message: "emails must be a list of addresses." })
    .min(1, "Give at least one address.")
    .max(MAX_BULK_INVITATIONS, `At most ${MAX_BULK_INVITATIONS} addresses at once.`),
  role: courseRoleSchema,
});
export type BulkInviteInput = z.infer<typeof bulkInviteSchema>;

export const updateMemberSchema = z.object({ role: courseRoleSchema });

export const acceptInvitationSchema = z.object({ token: z.string().min(1, "The invitation token is missing.").max(200) });

export const passwordSchema = z
  .string()
  .min(10, "Use at least 10 characters.")
  .max(1024, "Use at most 1,024 characters.");

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(200, "Use at most 200 characters."),
  password: passwordSchema,
});

export const memberDtoSchema = z.object({
  userId: z.uuid(),
  name: z.string().nullable(),
  email: z.string(),
  role: courseRoleSchema,
  joinedAt: z.iso.datetime(),
});
export type MemberDto = z.infer<typeof memberDtoSchema>;

export const invitationDtoSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: courseRoleSchema,
  expiresAt: z.iso.datetime(),
  url: z.string().nullable().describe("The link to accept it; null in lists for invitations the caller may not hand out (an instructor, for an owner's)"),
  createdAt: z.iso.datetime(),
  invitedBy: z.object({ name: z.string().nullable(), email: z.string() }).nullable(),
  emailDelivery: z.object({ sentAt: z.iso.datetime().nullable(), error: z.string().nullable() }).describe("Whether the invitation email went out (only with SMTP_URL)"),
});
export type InvitationDto = z.infer<typeof invitationDtoSchema>;

export const BULK_RESULT_STATUSES = ["invited", "pending", "member", "invalid"] as const;
export const bulkResultSchema = z.object({
  email: z.string().describe("The address as given (lowercased when valid)"),
  status: z.enum(BULK_RESULT_STATUSES).describe("invited: a new invitation; pending: one was open already (returned); member: already on the course; invalid: not an address"),
  message: z.string().optional(),
  invitation: invitationDtoSchema.optional(),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;
export const bulkInviteResultSchema = z.object({
  results: z.array(bulkResultSchema),
  counts: z.object({ invited: z.number(), pending: z.number(), member: z.number(), invalid: z.number() }),
});
export type BulkInviteResult = z.infer<typeof bulkInviteResultSchema>;
