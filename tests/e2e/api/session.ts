import type { APIRequestContext } from "@playwright/test";
import type postgres from "postgres";
import { hashPassword } from "@/lib/auth/password";
import type { Member } from "./world";

/**
 * Gives a world member a password and signs in through Auth.js's own endpoints
 * (csrf token, then the credentials callback), as the sign-in form does: the
 * request context then carries the session cookie.
 */
export async function signInWithCookie({ request, sql, member }: { request: APIRequestContext; sql: postgres.Sql; member: Member }) {
  const password = `pw-${member.id}`;
  await sql`update users set password_hash = ${await hashPassword(password)} where id = ${member.id}`;
  const csrf = await request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: member.email, password, callbackUrl: "/courses" },
    maxRedirects: 0,
  });
  const { cookies } = await request.storageState();
  if (!cookies.some((cookie) => cookie.name.endsWith("authjs.session-token"))) {
    throw new Error(`signing in as ${member.email} set no session cookie (cookies: ${cookies.map((cookie) => cookie.name).join(", ")})`);
  }
}
