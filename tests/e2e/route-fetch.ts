import type { APIResponse, Route } from "@playwright/test";

/**
 * `route.fetch()`, tried once more when the socket it reused was closed under it (ECONNRESET before any answer: the
 * server's keep-alive timeout racing Playwright's connection pool), so a test that intercepts a request does not
 * fail on its own plumbing. Any other error, or an answer, is the test's.
 */
export async function fetchThrough(route: Route): Promise<APIResponse> {
  try {
    return await route.fetch();
  } catch (error) {
    if (!(error instanceof Error) || !/ECONNRESET|socket hang up/.test(error.message)) throw error;
    return route.fetch();
  }
}
