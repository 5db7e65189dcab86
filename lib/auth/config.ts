import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth, { CredentialsSignin } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { db } from "@/db";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { clientAddress } from "./client-address";
import { signInWithPassword } from "./password-sign-in";
import { revokeSession, SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS, startSession } from "./sessions";
import { signInSchema } from "./sign-in-schema";
import { log } from "@/lib/logger";

declare module "next-auth" {
  interface Session {
    /** The `sessions` row this JWT stands for (see lib/auth/sessions.ts). */
    sessionId?: string;
    /** When the JWT itself expires, in seconds since the epoch. */
    tokenExpires?: number;
  }
}

/** Too many failed sign-ins for the account or the address: refused before the password is checked. */
export class SignInThrottled extends CredentialsSignin {
  override code = "throttled";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

const providers: Provider[] = [];

if (env.AUTH_PASSWORD_SIGNIN) {
  providers.push(
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // Also reached by POSTs straight to /api/auth/callback/credentials, so the throttle lives here.
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const address = clientAddress(request.headers, { trustProxy: env.AUTH_TRUST_HOST });
        const result = await signInWithPassword({ ...parsed.data, address });
        if (result.outcome === "throttled") throw new SignInThrottled(result.retryAfterSeconds);
        return result.outcome === "signed-in" ? result.user : null;
      },
    }),
  );
}

if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
  providers.push(GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
}

export const enabledProviders = providers.map((provider) => {
  const { id, name } = typeof provider === "function" ? provider() : provider;
  return { id, name };
});

export const { handlers, auth, signIn, signOut } = NextAuth({
  adapter: DrizzleAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  }),
  // Credentials sign-in only works with JWT sessions; OAuth accounts still land in the adapter's tables. Each JWT
  // names a row in `sessions`, checked on every request, so signing out ends it on the server.
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
  secret: env.AUTH_SECRET,
  trustHost: env.AUTH_TRUST_HOST,
  pages: { signIn: "/sign-in" },
  providers,
  logger: {
    // A wrong password is an expected outcome, not a server error worth a stack trace.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      log().error({ err: error, component: "auth" }, "Auth.js error");
    },
  },
  events: {
    // Auth.js's own sign-out route (POST /api/auth/signout); the app's buttons revoke before calling signOut().
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await revokeSession({ sessionId: sid });
    },
  },
  callbacks: {
    // `user` is set only when signing in (any provider): that is when the session row is created.
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sid = await startSession({ userId: user.id });
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (typeof token.sid === "string") session.sessionId = token.sid;
      if (typeof token.exp === "number") session.tokenExpires = token.exp;
      return session;
    },
  },
});
