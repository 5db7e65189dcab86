import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "@/lib/auth/current-user";
import { enabledProviders } from "@/lib/auth/config";
import { type InvitationPreview, type InvitationState, previewInvitation } from "@/lib/courses/invitations";
import { signOutForInvitation } from "./actions";
import { JoinForm, SignUpForm } from "./invitation-forms";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

type Props = { params: Promise<{ token: string }> };

const GONE: Record<Exclude<InvitationState, "pending">, { heading: string; text: string }> = {
  accepted: { heading: "This invitation has already been used", text: "Each invitation link works once. If you joined already, find the course under My courses; otherwise ask the course team for a new invitation." },
  revoked: { heading: "This invitation was withdrawn", text: "The course team withdrew it. Ask them for a new invitation if you should still join." },
  expired: { heading: "This invitation has expired", text: "Invitation links work for a limited time. Ask the course team for a new one." },
};

const ROLE_WORDS = { owner: "an owner", instructor: "an instructor", editor: "an editor", viewer: "a viewer (student)" } as const;

function Summary({ preview }: { preview: InvitationPreview }) {
  const who = preview.inviter ? (preview.inviter.name ?? preview.inviter.email) : "The course team";
  return (
    <p>
      {who} invited <strong>{preview.email}</strong> to join <strong>{preview.courseTitle}</strong> as {ROLE_WORDS[preview.role]}.
    </p>
  );
}

export default async function InvitationPage({ params }: Props) {
  const { token } = await params;
  const preview = await previewInvitation({ token });
  if (!preview) {
    return (
      <section className="card auth-panel stack" aria-labelledby="invitation-heading">
        <h1 id="invitation-heading">This invitation link is not valid</h1>
        <p>Check that you opened the whole link from your email, or ask the course team to send it again.</p>
      </section>
    );
  }
  if (preview.state !== "pending") {
    const gone = GONE[preview.state];
    return (
      <section className="card auth-panel stack" aria-labelledby="invitation-heading">
        <h1 id="invitation-heading">{gone.heading}</h1>
        <p>
          The invitation to <strong>{preview.courseTitle}</strong> for {preview.email} can no longer be used.
        </p>
        <p>{gone.text}</p>
      </section>
    );
  }

  const user = await getSessionUser();
  const passwordSignIn = enabledProviders.some((provider) => provider.id === "credentials");
  const here = `/invitations/${token}`;
  return (
    <section className="card auth-panel stack" aria-labelledby="invitation-heading">
      <h1 id="invitation-heading">Join {preview.courseTitle}</h1>
      <Summary preview={preview} />
      {user && user.email.toLowerCase() === preview.email ? (
        <JoinForm token={token} courseTitle={preview.courseTitle} />
      ) : user ? (
        <>
          <p role="alert" className="alert">
            You are signed in as {user.email}, but this invitation is for {preview.email}. Sign out, then open the link again and sign in (or
            create an account) as {preview.email}.
          </p>
          <form action={signOutForInvitation.bind(null, token)}>
            <button type="submit" className="button secondary">
              Sign out
            </button>
          </form>
        </>
      ) : preview.accountExists || !passwordSignIn ? (
        <>
          <p>Sign in as {preview.email} to join the course.</p>
          <Link className="button" href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>
            Sign in to join
          </Link>
        </>
      ) : (
        <>
          <p>
            New to Lectern? Create your account to join. Already have one for this address?{" "}
            <Link href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>Sign in</Link>.
          </p>
          <SignUpForm token={token} email={preview.email} />
        </>
      )}
      <p className="muted">
        This link expires on <time dateTime={preview.expiresAt}>{new Date(preview.expiresAt).toUTCString()}</time>.
      </p>
    </section>
  );
}
