"use client";

import type { Conflict } from "./use-video-mutations";

/** What happened to an edit that did not go through: an error, or a conflict the user may resolve. */
export function EditAlert({ conflict, error, onReapply, onDismiss }: { conflict?: Conflict; error?: string; onReapply: () => void; onDismiss: () => void }) {
  if (!conflict && !error) return null;
  return (
    <div role="alert" className="alert">
      <p>{conflict ? `${conflict.message} The title is now “${conflict.current.title}”.` : error}</p>
      <div className="actions">
        {conflict ? (
          <button type="button" className="button secondary" onClick={onReapply}>
            Apply my change again
          </button>
        ) : null}
        <button type="button" className="button link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
