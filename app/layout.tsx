import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "@/lib/auth/current-user";
import { SignOutButton } from "./components/sign-out-button";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lectern", template: "%s · Lectern" },
  description: "Upload, process and play course videos.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getSessionUser();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Lectern
          </Link>
          {user ? (
            <nav aria-label="Account">
              <Link href="/courses">My courses</Link>
              <Link href="/settings/tokens">API tokens</Link>
              <span>{user.email}</span>
              <SignOutButton />
            </nav>
          ) : null}
        </header>
        <main>
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
