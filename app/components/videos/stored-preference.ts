"use client";

import { useSyncExternalStore } from "react";

// Storage may be unavailable (private modes, blocked site data): a choice then lasts for the page only.
const memory = new Map<string, string>();
const listeners = new Set<() => void>();
const read = (key: string): string | null => {
  try {
    return localStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
};

/** Remembers a viewer's choice in this browser (every tab hears of it). */
export function storePreference(key: string, value: string) {
  memory.set(key, value);
  try {
    localStorage.setItem(key, value);
  } catch {
    // see memory
  }
  for (const listener of listeners) listener();
}

// Other tabs' choices arrive as storage events.
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
};

/** A remembered choice, null until made; the server renders it unset, so the first client render agrees with it. */
export function useStoredPreference(key: string): string | null {
  return useSyncExternalStore(
    subscribe,
    () => read(key),
    () => null,
  );
}
