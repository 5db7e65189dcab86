/** WebVTT timestamps: `hh:mm:ss.ttt` or `mm:ss.ttt` (hours: two or more digits; minutes and seconds 00–59). */
const WEBVTT_TIMESTAMP = /^(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})$/;

export type TimestampResult = { ok: true; seconds: number } | { ok: false; message: string };

const seconds = (hours: number, minutes: number, secs: number, millis: number) => (hours * 3600_000 + minutes * 60_000 + secs * 1000 + millis) / 1000;

/** Parses a WebVTT timestamp; a failure says what is wrong with it. */
export function parseWebVttTimestamp(value: string): TimestampResult {
  const match = WEBVTT_TIMESTAMP.exec(value);
  if (!match) return { ok: false, message: timestampHint(value) };
  const [hours, minutes, secs, millis] = [Number(match[1] ?? 0), Number(match[2]), Number(match[3]), Number(match[4])];
  if (minutes > 59 || secs > 59) return { ok: false, message: `Bad timestamp "${value}": minutes and seconds go from 00 to 59.` };
  return { ok: true, seconds: seconds(hours, minutes, secs, millis) };
}

function timestampHint(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  if (/^(\d+:)?\d{2}:\d{2},\d{3}$/.test(value)) return `Bad timestamp "${shown}": WebVTT puts a full stop before the milliseconds (${value.replace(",", ".")}), not a comma.`;
  if (/^\d:\d{2}:\d{2}\.\d{3}$/.test(value)) return `Bad timestamp "${shown}": hours need two digits (0${value}).`;
  if (/^(\d+:)?\d{2}:\d{2}(\.\d{1,2})?$/.test(value)) return `Bad timestamp "${shown}": the milliseconds need three digits (hh:mm:ss.ttt).`;
  return `Bad timestamp "${shown}": expected hh:mm:ss.ttt or mm:ss.ttt, such as 00:01:02.500.`;
}

/** SubRip timestamps: `hh:mm:ss,ttt` (real files also use a full stop, and one-digit hours). */
const SRT_TIMESTAMP = /^(\d{1,3}):(\d{2}):(\d{2})[,.](\d{3})$/;

export function parseSrtTimestamp(value: string): TimestampResult {
  const match = SRT_TIMESTAMP.exec(value);
  if (!match) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return { ok: false, message: `Bad timestamp "${shown}": expected hh:mm:ss,ttt such as 00:01:02,500.` };
  }
  const [hours, minutes, secs, millis] = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
  if (minutes > 59 || secs > 59) return { ok: false, message: `Bad timestamp "${value}": minutes and seconds go from 00 to 59.` };
  return { ok: true, seconds: seconds(hours, minutes, secs, millis) };
}

const pad = (value: number, length = 2) => String(value).padStart(length, "0");

/** `hh:mm:ss.ttt`, always with hours (valid WebVTT, and sorts as text). */
export function formatWebVttTimestamp(value: number): string {
  const total = Math.max(0, Math.round(value * 1000));
  const millis = total % 1000;
  const secs = Math.floor(total / 1000) % 60;
  const minutes = Math.floor(total / 60_000) % 60;
  const hours = Math.floor(total / 3600_000);
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(millis, 3)}`;
}
