import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { rootLogger, runWithLogger } from "@/lib/logger";

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
type Handler<C extends RouteContext> = (request: Request, context: C) => Promise<Response>;

export const REQUEST_ID_HEADER = "x-request-id";

/** A caller's (or proxy's) request id is kept when it is a plain token of reasonable length; otherwise a new one. */
export function requestIdFor(request: Request): string {
  const given = request.headers.get(REQUEST_ID_HEADER)?.trim();
  return given && /^[A-Za-z0-9._:@-]{1,128}$/.test(given) ? given : randomUUID();
}

/** The response with the header set (responses such as Response.redirect()'s have immutable headers: copied then). */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

export type ApiHandlerOptions = {
  /** Called with the seconds the handler took and the response's status (e.g. a latency metric); its failure is only logged. */
  onDone?: (seconds: number, status: number) => Promise<void>;
};

/**
 * Wraps a route handler: every request gets a request id (the caller's `x-request-id` when sane, else a new one),
 * answered in `x-request-id` and bound as `reqId` to the logger of everything the request runs (`log()`). An
 * AppError becomes its JSON response; anything else is logged with the request id and answered with a generic 500
 * (never leaked).
 */
export function apiHandler<C extends RouteContext = RouteContext>(handler: Handler<C>, { onDone }: ApiHandlerOptions = {}): Handler<C> {
  return async (request, context) => {
    const requestId = requestIdFor(request);
    const logger = rootLogger.child({ reqId: requestId });
    const started = performance.now();
    const response = await runWithLogger(logger, async () => {
      const url = new URL(request.url);
      const where = { method: request.method, path: url.pathname };
      let answer: Response;
      try {
        answer = await handler(request, context);
      } catch (error) {
        if (error instanceof AppError) {
          answer = error.toResponse();
          if (answer.status >= 500) logger.error({ ...where, err: error }, "request failed");
        } else {
          logger.error({ ...where, err: error }, "request failed");
          answer = AppError.internal().toResponse();
        }
      }
      const ms = Math.round(performance.now() - started);
      // One line per request: served ones at debug (an access log is the proxy's), refused ones at info.
      if (answer.status < 400) logger.debug({ ...where, status: answer.status, ms }, "request served");
      else if (answer.status < 500) logger.info({ ...where, status: answer.status, ms }, "request refused");
      // Awaited, so that what the response reports done is counted when the client sees it.
      if (onDone) await onDone((performance.now() - started) / 1000, answer.status).catch((error: unknown) => logger.warn({ err: error }, "after-request hook failed"));
      return answer;
    });
    return withHeader(response, REQUEST_ID_HEADER, requestId);
  };
}
