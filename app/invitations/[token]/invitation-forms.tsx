"use client";

import { useActionState } from "react";
import { TextField } from "@/app/components/text-field";
import { type InvitationFormState, joinCourse, signUpAndJoin } from "./actions";

function Alert({ message }: { message?: string }) {
  return message ? (
    <p role="alert" className="alert">
      {message}
    </p>
  ) : null;
}

export function JoinForm({ token, courseTitle }: { token: string; courseTitle: string }) {
  const [state, action, pending] = useActionState<InvitationFormState>(joinCourse.bind(null, token), {});
  return (
    <form action={action} className="stack">
      <Alert message={state.error} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Joining…" : `Join ${courseTitle}`}
      </button>
    </form>
  );
}

export function SignUpForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<InvitationFormState, FormData>(signUpAndJoin.bind(null, token), {});
  return (
    <form action={action} className="stack" aria-label="Create your account" noValidate>
      <Alert message={state.error} />
      <div className="field">
        <label htmlFor="invited-email">Email</label>
        <input id="invited-email" type="email" value={email} readOnly aria-describedby="invited-email-hint" />
        <span id="invited-email-hint" className="muted">
          The invitation is for this address.
        </span>
      </div>
      <TextField id="name" label="Your name" autoComplete="name" required maxLength={200} defaultValue={state.name} error={state.fieldErrors?.name} />
      <TextField id="password" label="Password" type="password" autoComplete="new-password" required minLength={10} error={state.fieldErrors?.password} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Creating your account…" : "Create account and join"}
      </button>
    </form>
  );
}
