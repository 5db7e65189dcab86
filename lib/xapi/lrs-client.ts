import type { XapiStatement } from "./statement-schema";
import { XAPI_VERSION } from "./vocabulary";

export type LrsSettings = {
  /** The LRS's xAPI endpoint (https://lrs.example.com/xapi/): statements go to {endpoint}/statements. */
  endpoint: string;
  /** HTTP Basic credentials (most LRSs issue a key and a secret for them). */
  username?: string;
  password?: string;
  /** Statements per POST (the LRS stores each POST's batch as a whole). */
  batchSize?: number;
  timeoutMs?: number;
};

/** An LRS that refused or could not be reached (status null). */
export class LrsError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "LrsError";
  }
}

export const DEFAULT_LRS_BATCH_SIZE = 50;
const DEFAULT_TIMEOUT_MS = 30_000;

/** `{endpoint}/statements`, whether or not the endpoint ends with a slash. */
export function statementsUrl(endpoint: string): string {
  const base = new URL(endpoint);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return new URL("statements", base).href;
}

/**
 * The one thing that talks to a learning record store: POSTs statements to its statements resource in batches,
 * with the xAPI version header and Basic auth. The statements carry their ids, so sending one again (a retry after
 * a timeout the LRS had in fact stored) stores nothing twice.
 */
export function createLrsClient(settings: LrsSettings) {
  const url = statementsUrl(settings.endpoint);
  const batchSize = Math.max(1, Math.round(settings.batchSize ?? DEFAULT_LRS_BATCH_SIZE));
  const timeoutMs = Math.round(settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const authorization =
    settings.username !== undefined && settings.password !== undefined
      ? `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString("base64")}`
      : undefined;

  const post = async (statements: XapiStatement[]) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-experience-api-version": XAPI_VERSION,
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(statements),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new LrsError(`The LRS at ${url} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`, null);
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const text = (await response.text().catch(() => "")).slice(0, 300);
    throw new LrsError(`The LRS answered ${response.status}${text ? `: ${text}` : ""}`, response.status);
  };

  return {
    url,
    batchSize,
    /** Sends the statements, `batchSize` per POST, in order; throws the first LrsError (later batches are not sent). */
    async sendStatements(statements: XapiStatement[]): Promise<void> {
      for (let start = 0; start < statements.length; start += batchSize) await post(statements.slice(start, start + batchSize));
    },
  };
}
export type LrsClient = ReturnType<typeof createLrsClient>;
