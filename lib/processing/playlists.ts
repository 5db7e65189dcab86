import { AAC_LC, type Rendition } from "./ladder";

export type MediaSegment = { uri: string; duration: number };

/** The segments of a media playlist (EXTINF duration and URI of each). */
export function parseMediaPlaylist(text: string): MediaSegment[] {
  const segments: MediaSegment[] = [];
  let duration: number | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#EXTINF:")) duration = Number.parseFloat(line.slice("#EXTINF:".length));
    else if (line && !line.startsWith("#")) {
      segments.push({ uri: line, duration: duration ?? 0 });
      duration = undefined;
    }
  }
  return segments;
}

/** How long a media playlist plays: the sum of its segments' durations (what players show, whatever the source's header said). */
export function playlistDuration(segments: MediaSegment[]): number {
  return Math.round(segments.reduce((sum, segment) => sum + segment.duration, 0) * 1000) / 1000;
}

/** Peak and average bits per second from the segments' sizes and durations (what BANDWIDTH must state). */
export function measureBandwidth(segments: { duration: number; bytes: number }[]): { peak: number; average: number } {
  let peak = 0;
  let bytes = 0;
  let seconds = 0;
  for (const segment of segments) {
    if (segment.duration <= 0) continue;
    peak = Math.max(peak, (segment.bytes * 8) / segment.duration);
    bytes += segment.bytes;
    seconds += segment.duration;
  }
  return { peak: Math.ceil(peak), average: seconds > 0 ? Math.ceil((bytes * 8) / seconds) : 0 };
}

export type MasterVariant = {
  rendition: Rendition;
  playlist: string;
  peak: number;
  average: number;
  hasAudio: boolean;
  /** The rate the rendition was encoded at: the peak, as HLS asks (see `outputFrameRate`), not the average. */
  fps: number | null;
};

/** The master playlist, written here rather than by ffmpeg (whose npm build crashes on -master_pl_name). */
export function masterPlaylist(variants: MasterVariant[]): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"];
  for (const { rendition, playlist, peak, average, hasAudio, fps } of variants) {
    const codecs = hasAudio ? `${rendition.videoCodec},${AAC_LC}` : rendition.videoCodec;
    const attributes = [
      `BANDWIDTH=${peak}`,
      `AVERAGE-BANDWIDTH=${average}`,
      `RESOLUTION=${rendition.width}x${rendition.height}`,
      `CODECS="${codecs}"`,
      ...(fps ? [`FRAME-RATE=${fps.toFixed(3)}`] : []),
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(",")}`, playlist);
  }
  return `${lines.join("\n")}\n`;
}

/** A playlist with every URI line passed through `rewrite` (tags and comments kept as they are). */
export async function rewritePlaylistUris(text: string, rewrite: (uri: string) => Promise<string>): Promise<string> {
  const lines = text.split("\n");
  const rewritten = await Promise.all(lines.map((line) => (line.trim() && !line.startsWith("#") ? rewrite(line.trim()) : line)));
  return rewritten.join("\n");
}
