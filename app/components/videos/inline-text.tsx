"use client";

import { useState } from "react";

type Props = {
  label: string;
  value: string;
  placeholder?: string;
  multiline?: boolean;
  editable: boolean;
  onSave: (value: string) => void;
  className?: string;
};

/** Click to edit in place; Enter or leaving the field saves, Escape cancels. */
export function InlineText({ label, value, placeholder, multiline, editable, onSave, className }: Props) {
  // The save of the moment editing began: it carries the version the user saw, so a change that lands
  // meanwhile (a poll, another tab) makes the save a visible conflict instead of a silent overwrite.
  const [editing, setEditing] = useState<{ draft: string; initial: string; save: (value: string) => void }>();
  if (!editable) return <span className={className}>{value || <span className="muted">{placeholder}</span>}</span>;
  if (!editing) {
    const shownPlaceholder = placeholder ?? `Add ${label.toLowerCase()}`;
    return (
      <button
        type="button"
        className={`inline-edit ${className ?? ""}`}
        // The name holds the text shown (WCAG 2.5.3), the placeholder too when there is no value.
        aria-label={`Edit ${label.toLowerCase()}: ${value || shownPlaceholder}`}
        onClick={() => setEditing({ draft: value, initial: value, save: onSave })}
      >
        {value || <span className="muted">{shownPlaceholder}</span>}
      </button>
    );
  }
  const commit = () => {
    if (editing.draft.trim() !== editing.initial) editing.save(editing.draft.trim());
    setEditing(undefined);
  };
  const common = {
    "aria-label": label,
    autoFocus: true,
    value: editing.draft,
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setEditing({ ...editing, draft: event.target.value }),
    onBlur: commit,
    onKeyDown: (event: React.KeyboardEvent) => {
      if (event.key === "Escape") setEditing(undefined);
      if (event.key === "Enter" && !(multiline && event.shiftKey)) {
        event.preventDefault();
        commit();
      }
    },
  };
  return multiline ? <textarea rows={2} className="inline-input" {...common} /> : <input className="inline-input" {...common} />;
}
