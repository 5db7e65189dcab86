"use client";

import { useCallback, useEffect, useRef } from "react";
import type { CaptionTrackDto } from "@/lib/captions/schemas";

/**
 * Captions on or off in one step (the `c` shortcut): off hides them, on brings back the language shown last, else
 * the first track. Returns the language now shown (null: off); undefined when the video has no captions.
 */
export function useCaptionToggle({ tracks, shown, setLanguage }: { tracks: CaptionTrackDto[]; shown: CaptionTrackDto | undefined; setLanguage: (language: string | null) => void }) {
  const lastShown = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (shown) lastShown.current = shown.language;
  }, [shown]);
  const toggle = useCallback(() => {
    if (shown) {
      setLanguage(null);
      return null;
    }
    const language = tracks.find((track) => track.language === lastShown.current)?.language ?? tracks[0]?.language ?? null;
    setLanguage(language);
    return language;
  }, [shown, tracks, setLanguage]);
  return tracks.length > 0 ? toggle : undefined;
}
