/**
 * Whether the device has a network at all, and when that changes. The uploader
 * waits while offline instead of spending its retries; browsers bind this to
 * `navigator.onLine` and the window's `online`/`offline` events, Node (the CLI)
 * has no such signal and is always "online", and tests drive their own.
 */
export type Connectivity = {
  online(): boolean;
  /** Calls `listener` on every change; returns the function that stops listening. */
  subscribe(listener: (online: boolean) => void): () => void;
};

export const alwaysOnline: Connectivity = { online: () => true, subscribe: () => () => {} };

/** The browser's view (safe to create during server rendering: it only reads `window` when used). */
export function browserConnectivity(): Connectivity {
  return {
    online: () => typeof navigator === "undefined" || navigator.onLine !== false,
    subscribe(listener) {
      if (typeof window === "undefined") return () => {};
      const online = () => listener(true);
      const offline = () => listener(false);
      window.addEventListener("online", online);
      window.addEventListener("offline", offline);
      return () => {
        window.removeEventListener("online", online);
        window.removeEventListener("offline", offline);
      };
    },
  };
}

/** Resolves as soon as the device is online (at once if it is); rejects with the signal's reason if it aborts first. */
export function untilOnline({ connectivity, signal }: { connectivity: Connectivity; signal?: AbortSignal }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (connectivity.online()) return resolve();
    const finish = (settle: () => void) => {
      unsubscribe();
      signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal?.reason));
    const unsubscribe = connectivity.subscribe((online) => {
      if (online) finish(resolve);
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A network failure (status 0) while the device says it is offline: wait for the connection, it is not the server's fault. */
export const failedOffline = ({ error, connectivity }: { error: unknown; connectivity: Connectivity }) =>
  typeof error === "object" && error !== null && "status" in error && error.status === 0 && !connectivity.online();
