/** A labelled 0–100 progress bar (the label is its accessible name). */
export function ProgressBar({ label, percent, small = false }: { label: string; percent: number; small?: boolean }) {
  return (
    <div className={small ? "progress small" : "progress"} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <div className="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
