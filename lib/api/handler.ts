import "server-only";
import { AppError } from "@/lib/errors";

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
type Handler<C extends RouteContext> = (request: Request, context: C) => Promise<Response>;

/**
 * Wraps a route handler: an AppError becomes its JSON response; anything else
 * is logged with the request and answered with a generic 500 (never leaked).
 */
export function apiHandler<C extends RouteContext = RouteContext>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof AppError) return error.toResponse();
      console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed:`, error);
      return AppError.internal().toResponse();
    }
  };
}
