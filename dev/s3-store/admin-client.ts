import type { FaultRule } from "./faults";

/** A header a browser never sends cross-site without a CORS preflight, which the admin server never approves. */
export const ADMIN_HEADER = "x-lectern-admin";

export type StoreStats = { requests: Record<string, number>; bytesReceived: number; faultsInjected: Record<string, number> };

/** Talks to the local store's admin endpoint (fault injection and request counts), for tests and benches. */
export function storeAdmin(adminEndpoint: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${adminEndpoint}${path}`, {
      method,
      headers: { [ADMIN_HEADER]: "1", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`store admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    addFault: (fault: Record<string, unknown>) => call<{ faults: FaultRule[] }>("POST", "/faults", fault),
    listFaults: () => call<{ faults: FaultRule[] }>("GET", "/faults"),
    clearFaults: () => call<{ faults: FaultRule[] }>("DELETE", "/faults"),
    stats: () => call<StoreStats>("GET", "/stats"),
  };
}
