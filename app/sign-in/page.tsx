import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { enabledProviders } from "@/lib/auth/config";
import { getSessionUser } from "@/lib/auth/current-user";
import { signInWithProvider } from "./actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  if (await getSessionUser()) redirect("/courses");
  const { callbackUrl } = await searchParams;
  const target = typeof callbackUrl === "string" ? callbackUrl : undefined;
  const passwordSignIn = enabledProviders.some((provider) => provider.id === "credentials");
  const oauth = enabledProviders.filter((provider) => provider.id !== "credentials");

  return (
    <section className="card auth-panel stack" aria-labelledby="sign-in-heading">
      <div>
        <h1 id="sign-in-heading">Sign in to Lectern</h1>
        <p className="muted">Upload, edit and watch your course videos.</p>
      </div>
      {passwordSignIn ? <SignInForm callbackUrl={target} /> : null}
      {oauth.map((provider) => (
        <form key={provider.id} action={signInWithProvider}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={target ?? ""} />
          <button type="submit" className="button secondary" style={{ width: "100%" }}>
            Continue with {provider.name}
          </button>
        </form>
      ))}
      {!passwordSignIn && oauth.length === 0 ? (
        <p role="alert" className="alert">
          No sign-in method is configured. Set AUTH_PASSWORD_SIGNIN or a provider such as AUTH_GITHUB_ID.
        </p>
      ) : null}
    </section>
  );
}
