/**
 * Splits a pasted class list into addresses: commas, semicolons, newlines, tabs and spaces separate entries;
 * `Name <addr>` and `"Last, First" <addr>` give the address; words without an `@` beside an address (names in a
 * spreadsheet column) are dropped, while an entry with no `@` at all is kept so the server reports it invalid.
 * Duplicates (case-insensitively) are kept once.
 */
export function splitAddressList(text: string): string[] {
  const found: string[] = [];
  const withoutQuotedNames = text.replace(/"[^"]*"/g, " ");
  for (const entry of withoutQuotedNames.split(/[,;\n\r]+/)) {
    const angled = [...entry.matchAll(/<([^<>]*)>/g)].map((match) => (match[1] ?? "").trim());
    if (angled.length > 0) {
      found.push(...angled.filter(Boolean));
      continue;
    }
    const words = entry.split(/\s+/).filter(Boolean);
    const addresses = words.filter((word) => word.includes("@"));
    if (addresses.length > 0) found.push(...addresses);
    else if (words.length > 0) found.push(entry.trim());
  }
  const seen = new Set<string>();
  return found.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
