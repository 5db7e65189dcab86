import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "@playwright/test";
import type { CaughtMail } from "@/dev/mail-catcher";
import { e2eStack } from "./e2e-stack";

/** The emails the e2e stack's SMTP server has received for `address`, oldest first. */
export async function mailTo(address: string): Promise<CaughtMail[]> {
  const { dir } = e2eStack().mail;
  const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith(".json")).sort();
  const messages = await Promise.all(names.map(async (name) => JSON.parse(await readFile(path.join(dir, name), "utf8")) as CaughtMail));
  return messages.filter((message) => message.to.includes(address.toLowerCase()));
}

/** Waits for the first email to `address` (the worker sends it from a queued job). */
export async function waitForMail(address: string, timeout = 45_000): Promise<CaughtMail> {
  await expect.poll(async () => (await mailTo(address)).length, { timeout, message: `an email to ${address}` }).toBeGreaterThan(0);
  const [message] = await mailTo(address);
  if (!message) throw new Error(`no email to ${address}`);
  return message;
}

/** The invitation link in an email's text. */
export function invitationLink(message: CaughtMail): string {
  const link = /https?:\/\/\S+\/invitations\/lci_[\w-]{43}/.exec(message.text)?.[0];
  if (!link) throw new Error(`no invitation link in: ${message.text}`);
  return link;
}
