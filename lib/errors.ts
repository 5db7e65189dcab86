/**
 * The one error type of the app. Thrown by domain code, turned into
 * `{ error: { code, message, details? } }` by route handlers, and rebuilt on
 * the client by `fetcher`.
 */
export const errorStatus = {
  bad_request: 400,
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  file_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type ErrorBody = {
  error: { code: string; message: string; details?: unknown };
};

type AppErrorOptions = { status?: number; details?: unknown; headers?: Record<string, string> };

function defaultStatus(code: string): number {
  return Object.hasOwn(errorStatus, code) ? errorStatus[code as ErrorCode] : 500;
}

export class AppError extends Error {
  override readonly name = "AppError";
  readonly status: number;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.status = options.status ?? defaultStatus(code);
    this.details = options.details;
    this.headers = options.headers;
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) },
    };
  }

  toResponse(): Response {
    return Response.json(this.toBody(), { status: this.status, headers: this.headers });
  }

  static unauthorized(message = "Sign in or send a valid API token.") {
    return new AppError("unauthorized", message);
  }

  static forbidden(message = "You do not have permission to do this.") {
    return new AppError("forbidden", message);
  }

  static notFound(message = "Not found.") {
    return new AppError("not_found", message);
  }

  static validation(message: string, details?: unknown) {
    return new AppError("validation_error", message, { details });
  }

  static internal() {
    return new AppError("internal_error", "Something went wrong on our side. Please try again.");
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}
