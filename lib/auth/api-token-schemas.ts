import { z } from "zod";

/** Shared by the token routes, the tokens page, the CLI and the OpenAPI document. */

export const MAX_TOKEN_LIFETIME_DAYS = 3650;

export const tokenNameSchema = z.string().trim().min(1, "Name is required.").max(100, "Name must be at most 100 characters.");
export const expiresInDaysSchema = z
  .number({ message: "expiresInDays must be a number of days." })
  .int("expiresInDays must be a whole number of days.")
  .min(1, "expiresInDays must be at least 1.")
  .max(MAX_TOKEN_LIFETIME_DAYS, `expiresInDays must be at most ${MAX_TOKEN_LIFETIME_DAYS} (10 years).`);

export const createApiTokenSchema = z.object({
  name: tokenNameSchema,
  /** Omitted or null: the token never expires. */
  expiresInDays: expiresInDaysSchema.nullish(),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenSchema>;

export const API_TOKEN_STATUSES = ["active", "expired", "revoked"] as const;
export type ApiTokenStatus = (typeof API_TOKEN_STATUSES)[number];

/** A token as its owner sees it: never the token itself, nor its hash. */
export const apiTokenDtoSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(API_TOKEN_STATUSES),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiTokenDto = z.infer<typeof apiTokenDtoSchema>;

/** The answer to creating a token: the only time the token is shown. */
export const createdApiTokenSchema = apiTokenDtoSchema.extend({
  token: z.string().describe("The token itself (lct_…), shown this once; only its SHA-256 is stored."),
});
export type CreatedApiTokenDto = z.infer<typeof createdApiTokenSchema>;
