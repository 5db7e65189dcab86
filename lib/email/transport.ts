import "server-only";
import nodemailer from "nodemailer";

export type MailTransport = ReturnType<typeof createMailTransport>;

/** A nodemailer SMTP transport for SMTP_URL (smtp://user:pass@host:port, smtps:// for implicit TLS). */
export function createMailTransport(smtpUrl: string) {
  const url = new URL(smtpUrl);
  return nodemailer.createTransport({
    // A few connections, reused: a class list's emails do not each open one.
    pool: true,
    maxConnections: 4,
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A server that hangs must not hold the job for long: it fails and pg-boss retries it later.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
