type Props = { id: string; label: string; options: { value: string; label: string }[]; emptyLabel?: string; defaultValue?: string };

/** A labelled select; with `emptyLabel`, a first option that means "none". */
export function SelectField({ id, label, options, emptyLabel, defaultValue = "" }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={id} defaultValue={defaultValue}>
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
