import type { InputHTMLAttributes } from "react";

type Props = { id: string; label: string; error?: string } & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input with its validation message wired up for assistive technology. */
export function TextField({ id, label, error, ...input }: Props) {
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={id} aria-invalid={Boolean(error)} aria-describedby={error ? errorId : undefined} {...input} />
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
