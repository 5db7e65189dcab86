/** A timestamp the same on server and client (no locale or time zone to disagree on): "2026-12-01 10:15 UTC". */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
