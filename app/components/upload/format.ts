export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}

/** A title from a file name: "week-3_intro-to-sets.mp4" → "Week 3 intro to sets". */
export function titleFromFilename(name: string): string {
  const words = name.replace(/\.[^.]+$/, "").replace(/[_-]+/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  return words ? `${words[0]?.toUpperCase() ?? ""}${words.slice(1)}` : "Untitled video";
}
