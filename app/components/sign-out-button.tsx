import { signOut } from "@/lib/auth/config";

export function SignOutButton() {
  return (
    <form
      action={async () => {
        "use server";
        await signOut({ redirectTo: "/sign-in" });
      }}
    >
      <button type="submit" className="button secondary">
        Sign out
      </button>
    </form>
  );
}
