import "server-only";
import { env } from "@/lib/env";

/** Invitations are emailed only when SMTP_URL is set; otherwise the inviter copies the link. */
export const emailEnabled = () => Boolean(env.SMTP_URL);

/** The From address: SMTP_FROM, else Lectern at the SMTP server's host. */
export function senderAddress(smtpUrl: string, from = env.SMTP_FROM): string {
  if (from) return from;
  const host = new URL(smtpUrl).hostname || "localhost";
  return `Lectern <no-reply@${host.includes(".") ? host : "lectern.local"}>`;
}
