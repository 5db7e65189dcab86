"use client";

import { useEffect, useRef } from "react";

/** The player's keyboard shortcuts, as the help lists them. */
export const PLAYER_SHORTCUTS = [
  { keys: ["Space", "K"], action: "Play or pause" },
  { keys: ["J"], action: "Back 10 seconds" },
  { keys: ["L"], action: "Forward 10 seconds" },
  { keys: ["←"], action: "Back 5 seconds" },
  { keys: ["→"], action: "Forward 5 seconds" },
  { keys: ["M"], action: "Mute or unmute" },
  { keys: ["F"], action: "Full screen" },
  { keys: ["C"], action: "Captions on or off" },
  { keys: ["?"], action: "Show these shortcuts" },
] as const;

type Actions = {
  toggleCaptions: () => void;
  showHelp: () => void;
  /** Says what a shortcut did (a live region), since a keyboard user may not see it. */
  announce: (message: string) => void;
};

/** Typing in a field, or a key a focused control needs itself (space on a button), is never a shortcut. */
function ignored(event: KeyboardEvent, video: HTMLVideoElement): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target instanceof HTMLElement ? event.target : null;
  if (!target || target === video) return false;
  if (target.isContentEditable || target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='textbox']")) return true;
  if ((event.key === " " || event.key === "Enter") && target.closest("button, a[href], summary, [role='button'], [role='menuitem']")) return true;
  return false;
}

/**
 * Keyboard shortcuts for the page's player (space/k, j/l, ←/→, m, f, c, ?), anywhere on the page except while
 * typing. Handled here rather than by the browser's controls, so they work the same whatever has focus.
 */
export function usePlayerShortcuts(videoRef: React.RefObject<HTMLVideoElement | null>, actions: Actions) {
  const actionsRef = useRef(actions);
  useEffect(() => {
    actionsRef.current = actions;
  });

  useEffect(() => {
    const seekBy = (video: HTMLVideoElement, seconds: number) => {
      const end = Number.isFinite(video.duration) ? video.duration : Number.POSITIVE_INFINITY;
      video.currentTime = Math.min(end, Math.max(0, video.currentTime + seconds));
    };
    const onKey = (event: KeyboardEvent) => {
      const video = videoRef.current;
      if (!video || ignored(event, video)) return;
      const { toggleCaptions, showHelp, announce } = actionsRef.current;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      switch (key) {
        case " ":
        case "k":
          if (video.paused) void video.play().catch(() => announce("The video could not start."));
          else video.pause();
          announce(video.paused ? "Playing" : "Paused");
          break;
        case "j":
          seekBy(video, -10);
          announce("Back 10 seconds");
          break;
        case "l":
          seekBy(video, 10);
          announce("Forward 10 seconds");
          break;
        case "ArrowLeft":
          seekBy(video, -5);
          announce("Back 5 seconds");
          break;
        case "ArrowRight":
          seekBy(video, 5);
          announce("Forward 5 seconds");
          break;
        case "m":
          video.muted = !video.muted;
          announce(video.muted ? "Muted" : "Sound on");
          break;
        case "f": {
          const figure = video.closest("figure") ?? video;
          if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
          else void figure.requestFullscreen().catch(() => announce("Full screen is not available here."));
          break;
        }
        case "c":
          toggleCaptions();
          break;
        case "?":
          showHelp();
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [videoRef]);
}
