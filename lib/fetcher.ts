import { AppError, isErrorBody } from "@/lib/errors";

/**
 * fetch() for our JSON API: returns the parsed body, or throws the AppError the
 * server sent (network failures become `network_error`, status 0).
 */
export async function fetcher<T>(input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, {
      ...init,
      headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}), ...init?.headers },
    });
  } catch (cause) {
    throw new AppError("network_error", "Could not reach the server. Check your connection and try again.", {
      status: 0,
      details: { cause: String(cause) },
    });
  }
  if (response.status === 204) return undefined as T;

  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body as T;
  if (isErrorBody(body)) {
    throw new AppError(body.error.code, body.error.message, { status: response.status, details: body.error.details });
  }
  throw new AppError("http_error", `The server answered ${response.status} ${response.statusText}.`, { status: response.status });
}
