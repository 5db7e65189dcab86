const UNITS = ["KB", "MB", "GB", "TB"] as const;

/**
 * Bytes for people, in 1024 steps: "512 B", "8.0 MB", "20 MB", "2.0 GB". The one formatter of the server's
 * messages, the UI and the CLI, so a limit reads the same everywhere.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}
