"use client";

import { useCallback } from "react";
import { storePreference, useStoredPreference } from "./stored-preference";

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

/**
 * The viewer's caption choices, remembered in this browser for every video: the language (null: off) and the size.
 * The server renders them unset, so the first client render agrees with it.
 */
export function useCaptionPreferences() {
  const storedLanguage = useStoredPreference(LANGUAGE_KEY);
  const storedSize = useStoredPreference(SIZE_KEY);
  const language = storedLanguage && storedLanguage !== OFF ? storedLanguage : null;
  const size = CAPTION_SIZES.find((option) => option.value === storedSize)?.value ?? "medium";
  const setLanguage = useCallback((value: string | null) => storePreference(LANGUAGE_KEY, value ?? OFF), []);
  const setSize = useCallback((value: CaptionSize) => storePreference(SIZE_KEY, value), []);
  return { language, setLanguage, size, setSize };
}
