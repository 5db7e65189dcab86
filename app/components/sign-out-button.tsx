import { auth, signOut } from "@/lib/auth/config";
import { getSessionUser } from "@/lib/auth/current-user";
import { revokeAllSessions, revokeSession } from "@/lib/auth/sessions";

/** "Sign out" ends this browser's session on the server; "Sign out everywhere" ends every session of the user. */
export function SignOutButton() {
  return (
    <>
      <form
        action={async () => {
          "use server";
          const session = await auth();
          if (session?.sessionId) await revokeSession({ sessionId: session.sessionId });
          await signOut({ redirectTo: "/sign-in" });
        }}
      >
        <button type="submit" className="button secondary">
          Sign out
        </button>
      </form>
      <form
        action={async () => {
          "use server";
          const user = await getSessionUser();
          if (user) await revokeAllSessions({ userId: user.id });
          await signOut({ redirectTo: "/sign-in" });
        }}
      >
        <button type="submit" className="button secondary" title="Ends your sessions in every browser and on every device">
          Sign out everywhere
        </button>
      </form>
    </>
  );
}
