/** A cell a spreadsheet would run as a formula (=, +, -, @, or a tab/CR first) gets a leading apostrophe. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, quote, CR or LF (or edge spaces) is quoted, its quotes doubled. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  const text = neutraliseFormula(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One RFC 4180 record, with its CRLF. */
export function csvRow(row: readonly (string | number | boolean | null)[]): string {
  return row.map(csvField).join(",") + "\r\n";
}

/** Rows as RFC 4180 CSV: CRLF after every record, the first row the header. */
export function toCsv(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return rows.map(csvRow).join("");
}
