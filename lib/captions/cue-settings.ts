/** WebVTT cue settings (`name:value`, separated by spaces or tabs) and what each accepts. */
const PERCENT = String.raw`(?:\d+(?:\.\d+)?)%`;
const SETTINGS: Record<string, { pattern: RegExp; expected: string }> = {
  vertical: { pattern: /^(rl|lr)$/, expected: "rl or lr" },
  line: { pattern: new RegExp(`^(-?\\d+(?:\\.\\d+)?|${PERCENT})(,(start|center|end))?$`), expected: "a line number or a percentage, optionally followed by ,start ,center or ,end" },
  position: { pattern: new RegExp(`^${PERCENT}(,(line-left|center|line-right))?$`), expected: "a percentage, optionally followed by ,line-left ,center or ,line-right" },
  size: { pattern: new RegExp(`^${PERCENT}$`), expected: "a percentage" },
  align: { pattern: /^(start|center|end|left|right)$/, expected: "start, center, end, left or right" },
  region: { pattern: /^\S+$/, expected: "a region identifier" },
};

/** The problems of a cue's settings, one message each (empty when they are valid). */
export function checkCueSettings(settings: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const setting of settings.split(/[ \t]+/).filter(Boolean)) {
    const colon = setting.indexOf(":");
    const name = colon > 0 ? setting.slice(0, colon) : setting;
    const value = colon > 0 ? setting.slice(colon + 1) : "";
    const rule = Object.hasOwn(SETTINGS, name) ? SETTINGS[name] : undefined;
    if (!rule) {
      problems.push(`Unknown cue setting "${setting}": WebVTT has vertical, line, position, size, align and region.`);
      continue;
    }
    if (colon <= 0 || !rule.pattern.test(value)) problems.push(`Bad cue setting "${setting}": ${name} takes ${rule.expected}.`);
    else if (/%/.test(value) && Number.parseFloat(value.replace(/^-/, "")) > 100) problems.push(`Bad cue setting "${setting}": a percentage goes from 0% to 100%.`);
    if (seen.has(name)) problems.push(`The cue setting ${name} is given twice.`);
    seen.add(name);
  }
  return problems;
}
