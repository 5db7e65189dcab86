"use server";

import { AuthError } from "next-auth";
import { signIn, SignInThrottled } from "@/lib/auth/config";
import { signInSchema } from "@/lib/auth/sign-in-schema";

export type SignInState = {
  error?: string;
  /** Set when sign-in was throttled (the form's equivalent of 429 + Retry-After). */
  retryAfterSeconds?: number;
  fieldErrors?: Partial<Record<"email" | "password", string>>;
  email?: string;
};

export async function signInWithPassword(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "");
  const parsed = signInSchema.safeParse({ email, password: formData.get("password") ?? "" });
  if (!parsed.success) {
    const fieldErrors: SignInState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "email" || field === "password") && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return { fieldErrors, email };
  }
  const callbackUrl = String(formData.get("callbackUrl") ?? "");
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeRedirect(callbackUrl) });
    return {};
  } catch (error) {
    // signIn() redirects by throwing; only Auth.js's own errors mean the sign-in failed.
    if (error instanceof SignInThrottled) {
      return { email, retryAfterSeconds: error.retryAfterSeconds, error: throttledMessage(error.retryAfterSeconds) };
    }
    if (error instanceof AuthError) {
      return {
        email,
        error:
          error.type === "CredentialsSignin"
            ? "Wrong email or password."
            : "Sign-in is unavailable right now. Please try again.",
      };
    }
    throw error;
  }
}

export async function signInWithProvider(formData: FormData) {
  const provider = String(formData.get("provider") ?? "");
  await signIn(provider, { redirectTo: safeRedirect(String(formData.get("callbackUrl") ?? "")) });
}

/** Only same-site paths; anything else lands on the course list. */
function safeRedirect(target: string): string {
  return target.startsWith("/") && !target.startsWith("//") ? target : "/courses";
}

function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 60 ? `${retryAfterSeconds} seconds` : minutes === 1 ? "a minute" : `${minutes} minutes`;
  return `Too many sign-in attempts. Wait ${wait} and try again.`;
}
