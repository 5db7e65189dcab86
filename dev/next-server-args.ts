/**
 * The Next.js CLI arguments of the dev server (`next dev`) and the e2e server (`next start`). They listen on
 * `host` only: the stack passes 127.0.0.1 unless HOST says otherwise, so nobody else on the network reaches them.
 */
export function nextServerArgs({ mode, port, host }: { mode: "dev" | "start"; port: string; host: string }): string[] {
  return [mode, "--port", port, "--hostname", host];
}
