"use client";

import { useState } from "react";

/** Copies `text`; where the clipboard is not allowed, says so (the text is shown beside it to copy by hand). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  const shown = state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy link";
  // The name starts with the text shown (WCAG 2.5.3), then says which link.
  return (
    <button type="button" className="button secondary" aria-label={`${shown}: ${label}`} onClick={() => void copy()} title={state === "failed" ? "Copying is not allowed here: select the link and copy it" : undefined}>
      {shown}
    </button>
  );
}
