"use client";

import { useCallback, useSyncExternalStore } from "react";

export const CAPTION_SIZES = [
  { value: "small", label: "Small" },
  { value: "medium", label: "Medium" },
  { value: "large", label: "Large" },
  { value: "x-large", label: "Extra large" },
] as const;
export type CaptionSize = (typeof CAPTION_SIZES)[number]["value"];

const LANGUAGE_KEY = "lectern:captions";
const SIZE_KEY = "lectern:caption-size";
const OFF = "off";

// Storage may be unavailable (private modes, blocked site data): the choice then lasts for the page only.
const memory = new Map<string, string>();
const listeners = new Set<() => void>();
const read = (key: string): string | null => {
  try {
    return localStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
};
const write = (key: string, value: string) => {
  memory.set(key, value);
  try {
    localStorage.setItem(key, value);
  } catch {
    // see memory
  }
  for (const listener of listeners) listener();
};
// Other tabs' choices arrive as storage events.
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
};
const useStored = (key: string) =>
  useSyncExternalStore(
    subscribe,
    () => read(key),
    () => null,
  );

/**
 * The viewer's caption choices, remembered in this browser for every video: the language (null: off) and the size.
 * The server renders them unset, so the first client render agrees with it.
 */
export function useCaptionPreferences() {
  const storedLanguage = useStored(LANGUAGE_KEY);
  const storedSize = useStored(SIZE_KEY);
  const language = storedLanguage && storedLanguage !== OFF ? storedLanguage : null;
  const size = CAPTION_SIZES.find((option) => option.value === storedSize)?.value ?? "medium";
  const setLanguage = useCallback((value: string | null) => write(LANGUAGE_KEY, value ?? OFF), []);
  const setSize = useCallback((value: CaptionSize) => write(SIZE_KEY, value), []);
  return { language, setLanguage, size, setSize };
}
