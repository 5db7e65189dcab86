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
  const [draft, setDraft] = useState<string>();
  if (!editable) return <span className={className}>{value || <span className="muted">{placeholder}</span>}</span>;
  if (draft === undefined) {
    return (
      <button type="button" className={`inline-edit ${className ?? ""}`} aria-label={`Edit ${label.toLowerCase()}: ${value || "empty"}`} onClick={() => setDraft(value)}>
        {value || <span className="muted">{placeholder ?? `Add ${label.toLowerCase()}`}</span>}
      </button>
    );
  }
  const commit = () => {
    if (draft.trim() !== value) onSave(draft.trim());
    setDraft(undefined);
  };
  const common = {
    "aria-label": label,
    autoFocus: true,
    value: draft,
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setDraft(event.target.value),
    onBlur: commit,
    onKeyDown: (event: React.KeyboardEvent) => {
      if (event.key === "Escape") setDraft(undefined);
      if (event.key === "Enter" && !(multiline && event.shiftKey)) {
        event.preventDefault();
        commit();
      }
    },
  };
  return multiline ? <textarea rows={2} className="inline-input" {...common} /> : <input className="inline-input" {...common} />;
}
