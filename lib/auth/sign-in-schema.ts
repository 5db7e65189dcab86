import { z } from "zod";

/** Shared by the sign-in form and the Credentials provider. */
export const signInSchema = z.object({
  email: z.email("Enter a valid email address.").trim().toLowerCase().max(320),
  password: z.string().min(1, "Enter your password.").max(1024),
});

export type SignInInput = z.infer<typeof signInSchema>;
