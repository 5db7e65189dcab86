type Props = { id: string; label: string; emptyLabel: string; options: { value: string; label: string }[] };

/** A labelled select whose first option means "none". */
export function SelectField({ id, label, emptyLabel, options }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={id} defaultValue="">
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
