import type { Metadata } from "next";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { requireSessionUser } from "@/lib/auth/current-user";
import { ApiTokensManager } from "@/app/components/tokens/api-tokens-manager";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const user = await requireSessionUser();
  const tokens = await listApiTokens({ userId: user.id });

  return (
    <section aria-labelledby="tokens-heading" className="stack">
      <div>
        <h1 id="tokens-heading">API tokens</h1>
        <p className="muted">
          Tokens let scripts and the upload CLI call the API as you (<code>Authorization: Bearer …</code>). Revoke any
          you no longer use.
        </p>
      </div>
      <ApiTokensManager initialTokens={tokens} />
    </section>
  );
}
