import { alwaysOnline, type Connectivity, failedOffline, untilOnline } from "./connectivity";
import { UploadError } from "./errors";

export type RetryOptions = {
  /** First backoff ceiling; doubles per attempt. */
  baseMs?: number;
  capMs?: number;
  /** Attempts in all, the first one included. */
  maxAttempts?: number;
  /** For tests: a number in [0, 1). */
  random?: () => number;
  /** For tests: how to wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

export const DEFAULT_RETRY = { baseMs: 500, capMs: 20_000, maxAttempts: 8 } as const;

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^(attempt-1))). */
export function backoffDelay({ attempt, retry = {} }: { attempt: number; retry?: RetryOptions }): number {
  const { baseMs = DEFAULT_RETRY.baseMs, capMs = DEFAULT_RETRY.capMs, random = Math.random } = retry;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds to wait: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter({ value, now = Date.now() }: { value: string | null | undefined; now?: number }): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date starts with the day's name; Date.parse alone would take "-1" for a year.
  const date = /^[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, Math.ceil(ms)));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function isRetryable(error: unknown): error is UploadError {
  return error instanceof UploadError && error.retryable;
}

/** How long to wait before the attempt after `attempt`: the server's Retry-After if it sent one, else backoff. */
export function retryDelay({ attempt, error, retry }: { attempt: number; error: UploadError; retry?: RetryOptions }): number {
  return error.retryAfterMs ?? backoffDelay({ attempt, retry });
}

/**
 * Runs `run` until it succeeds, fails for good, or the attempts run out. A network failure while `connectivity`
 * says the device is offline waits for the connection and costs no attempt.
 */
export async function retrying<T>({
  run,
  retry = {},
  signal,
  connectivity = alwaysOnline,
}: {
  run: () => Promise<T>;
  retry?: RetryOptions;
  signal?: AbortSignal;
  connectivity?: Connectivity;
}): Promise<T> {
  const maxAttempts = retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const wait = retry.sleep ?? sleep;
  for (let attempt = 1; ; ) {
    try {
      return await run();
    } catch (error) {
      if (signal?.aborted || !isRetryable(error)) throw error;
      if (failedOffline({ error, connectivity })) {
        await untilOnline({ connectivity, signal });
        continue;
      }
      if (attempt >= maxAttempts) throw error;
      await wait(retryDelay({ attempt: attempt++, error, retry }), signal);
    }
  }
}
