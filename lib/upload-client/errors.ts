type UploadErrorOptions = { status?: number; details?: unknown; retryAfterMs?: number; cause?: unknown };

/**
 * Every failure of the upload client: an API error rebuilt from
 * `{ error: { code, message, details? } }`, a storage rejection, a network
 * failure (`network_error`, status 0) or a stop (`aborted`, `cancelled`).
 */
export class UploadError extends Error {
  override readonly name = "UploadError";
  readonly status?: number;
  readonly details?: unknown;
  /** From a `Retry-After` header, when the response had one. */
  readonly retryAfterMs?: number;

  constructor(
    readonly code: string,
    message: string,
    options: UploadErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Network failures, 5xx and 429 may succeed later; everything else will not. */
  get retryable(): boolean {
    const status = this.status;
    return status !== undefined && (status === 0 || status === 429 || status >= 500);
  }
}
