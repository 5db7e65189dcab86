// Runs once when a server process starts: a bad environment fails the start, not the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/env");
}
