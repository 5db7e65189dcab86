"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signIn, signOut, auth } from "@/lib/auth/config";
import { clientAddress } from "@/lib/auth/client-address";
import { getSessionUser } from "@/lib/auth/current-user";
import { revokeSession } from "@/lib/auth/sessions";
import { acceptInvitation } from "@/lib/courses/invitations";
import { signUpWithInvitation } from "@/lib/courses/invitation-sign-up";
import { signUpSchema } from "@/lib/courses/member-schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

export type InvitationFormState = { error?: string; fieldErrors?: Partial<Record<"name" | "password", string>>; name?: string };

/** The signed-in invitee joins with one click (the same domain function as POST /invitations/accept). */
export async function joinCourse(token: string): Promise<InvitationFormState> {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/invitations/${token}`)}`);
  let courseId: string;
  try {
    ({ courseId } = await acceptInvitation({ user, token }));
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { error: error.message };
    throw error;
  }
  redirect(`/courses/${courseId}`);
}

/** A new person creates their account for the invited address, joins, and is signed in on the course page. */
export async function signUpAndJoin(token: string, _previous: InvitationFormState, formData: FormData): Promise<InvitationFormState> {
  const name = String(formData.get("name") ?? "");
  const parsed = signUpSchema.safeParse({ name, password: formData.get("password") ?? "" });
  if (!parsed.success) {
    const fieldErrors: InvitationFormState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "name" || field === "password") && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return { fieldErrors, name };
  }
  let joined: { email: string; courseId: string };
  try {
    joined = await signUpWithInvitation({ token, ...parsed.data, address: clientAddress(await headers(), { trustProxy: env.AUTH_TRUST_HOST }) });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { error: error.message, name };
    throw error;
  }
  try {
    await signIn("credentials", { email: joined.email, password: parsed.data.password, redirectTo: `/courses/${joined.courseId}` });
  } catch (error) {
    // signIn() redirects by throwing; only Auth.js's own errors mean signing in failed (the account exists by now).
    if (error instanceof AuthError) return { error: "Your account was created and you joined the course, but signing in failed: sign in with your new password." };
    throw error;
  }
  return {};
}

/** Signs out and comes back to the invitation, to open it as the invited address. */
export async function signOutForInvitation(token: string) {
  const session = await auth();
  if (session?.sessionId) await revokeSession({ sessionId: session.sessionId });
  await signOut({ redirectTo: `/invitations/${token}` });
}
