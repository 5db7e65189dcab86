"use client";

import { useEffect, useId, useRef, useState } from "react";
import { PLAYBACK_RATES } from "@/lib/watch/schemas";
import { formatRate, isPlaybackRate, usePlaybackRate } from "./use-playback-rate";
import { PLAYER_SHORTCUTS, usePlayerShortcuts } from "./use-player-shortcuts";

type Props = {
  videoRef: React.RefObject<HTMLVideoElement | null>;
  /** Turns captions on (the last language shown, else the first) or off; undefined when the video has none. */
  toggleCaptions?: () => string | null;
};

/** The player bar's speed menu, the keyboard shortcuts and their help. */
export function PlayerControls({ videoRef, toggleCaptions }: Props) {
  const { rate, setRate } = usePlaybackRate(videoRef);
  const [helpOpen, setHelpOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  usePlayerShortcuts(videoRef, {
    toggleCaptions: () => {
      if (!toggleCaptions) return setAnnouncement("This video has no captions.");
      const language = toggleCaptions();
      setAnnouncement(language ? "Captions on" : "Captions off");
    },
    showHelp: () => setHelpOpen(true),
    announce: setAnnouncement,
  });

  return (
    <>
      <label className="quality">
        Speed
        <select
          value={rate}
          onChange={(event) => {
            const value = Number(event.target.value);
            if (isPlaybackRate(value)) setRate(value);
          }}
        >
          {PLAYBACK_RATES.map((option) => (
            <option key={option} value={option}>
              {formatRate(option)}
            </option>
          ))}
        </select>
      </label>
      <ShortcutsHelp open={helpOpen} setOpen={setHelpOpen} />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </>
  );
}

/** "Keyboard shortcuts": a popover listing them; Escape or the button closes it, and focus goes back to the button. */
function ShortcutsHelp({ open, setOpen }: { open: boolean; setOpen: (open: boolean) => void }) {
  const panelId = useId();
  const headingId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);

  useEffect(() => {
    if (open) panelRef.current?.focus();
    else if (wasOpen.current) buttonRef.current?.focus();
    wasOpen.current = open;
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target instanceof Node ? event.target : null;
      if (target && !panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open, setOpen]);

  return (
    <div className="shortcuts">
      <button ref={buttonRef} type="button" className="button secondary" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        Keyboard shortcuts
      </button>
      <div ref={panelRef} id={panelId} className="shortcuts-popover card" role="dialog" aria-labelledby={headingId} tabIndex={-1} hidden={!open}>
        <h2 id={headingId} className="transcript-heading">
          Keyboard shortcuts
        </h2>
        <dl className="shortcut-list">
          {PLAYER_SHORTCUTS.map((shortcut) => (
            <div key={shortcut.action}>
              <dt>
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 ? " or " : null}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{shortcut.action}</dd>
            </div>
          ))}
        </dl>
        <button type="button" className="button secondary" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
