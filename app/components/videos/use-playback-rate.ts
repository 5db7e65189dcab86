"use client";

import { useCallback, useEffect } from "react";
import { PLAYBACK_RATES } from "@/lib/watch/schemas";
import { storePreference, useStoredPreference } from "./stored-preference";

export type PlaybackRate = (typeof PLAYBACK_RATES)[number];
const RATE_KEY = "lectern:playback-rate";

export const isPlaybackRate = (value: number): value is PlaybackRate => (PLAYBACK_RATES as readonly number[]).includes(value);
export const formatRate = (rate: number) => (rate === 1 ? "Normal" : `${rate}×`);

/**
 * The viewer's playback speed, remembered in this browser for every video and applied to the player (also after
 * it loads a new source, which resets the element's rate to its default).
 */
export function usePlaybackRate(videoRef: React.RefObject<HTMLVideoElement | null>) {
  const stored = Number(useStoredPreference(RATE_KEY) ?? 1);
  const rate: PlaybackRate = isPlaybackRate(stored) ? stored : 1;
  const setRate = useCallback((value: PlaybackRate) => storePreference(RATE_KEY, String(value)), []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const apply = () => {
      video.defaultPlaybackRate = rate;
      if (video.playbackRate !== rate) video.playbackRate = rate;
    };
    apply();
    // The browser's own controls offer speeds too: one of ours is remembered like a choice in our menu.
    const changed = () => {
      if (video.playbackRate !== rate && isPlaybackRate(video.playbackRate)) setRate(video.playbackRate);
    };
    video.addEventListener("loadedmetadata", apply);
    video.addEventListener("ratechange", changed);
    return () => {
      video.removeEventListener("loadedmetadata", apply);
      video.removeEventListener("ratechange", changed);
    };
  }, [videoRef, rate, setRate]);

  return { rate, setRate };
}
