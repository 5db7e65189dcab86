import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type CaughtMail = { to: string[]; from: string; subject: string; text: string; html: string };

/**
 * A real SMTP server (for tests and the e2e stack) on a free port that keeps what it receives (any credentials
 * accepted, no TLS), in memory and, with `dir`, as one JSON file per message. Recipients in `refuse` get a
 * temporary 451, as a struggling server would answer.
 */
export async function startSmtpCatcher({ refuse = [], dir, port: listenPort = 0 }: { refuse?: string[]; dir?: string; port?: number } = {}) {
  if (dir) await mkdir(dir, { recursive: true });
  const messages: CaughtMail[] = [];
  const waiting: { match: (mail: CaughtMail) => boolean; resolve: (mail: CaughtMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onAuth: (_auth, _session, callback) => callback(null, { user: "test" }),
    onRcptTo: (address, _session, callback) => {
      if (refuse.includes(address.address.toLowerCase())) {
        const error = Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 });
        callback(error);
        return;
      }
      callback();
    },
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((parsed: ParsedMail) => {
          const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((group) => group.value.map((entry) => entry.address ?? ""));
          const mail: CaughtMail = { to, from: parsed.from?.text ?? "", subject: parsed.subject ?? "", text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "" };
          messages.push(mail);
          // Written aside and renamed, so a reader never sees half a message.
          if (dir) {
            const file = path.join(dir, `${Date.now()}-${randomUUID()}`);
            void writeFile(`${file}.tmp`, JSON.stringify(mail)).then(() => rename(`${file}.tmp`, `${file}.json`));
          }
          for (const waiter of waiting.filter((candidate) => candidate.match(mail))) waiter.resolve(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  server.on("error", (error) => console.error("[mail-catcher]", error));
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://catcher:secret@127.0.0.1:${port}`,
    messages,
    /** The first message to `address` (already received, or the next), within `timeoutMs`. */
    waitFor(address: string, timeoutMs = 15_000): Promise<CaughtMail> {
      const match = (mail: CaughtMail) => mail.to.includes(address.toLowerCase());
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no email to ${address} within ${timeoutMs} ms`)), timeoutMs);
        waiting.push({ match, resolve: (mail) => (clearTimeout(timer), resolve(mail)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
