import type { Rendition } from "./ladder";

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

export const ENDLIST = "#EXT-X-ENDLIST";

/** Whether a media playlist is still being written (an EVENT playlist without ENDLIST, which players reload). */
export const playlistGrowing = (text: string) => !text.includes(ENDLIST);

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
  rendition: Pick<Rendition, "name" | "width" | "height">;
  playlist: string;
  /** The video rendition's own bits per second (the audio rendition's are added for BANDWIDTH). */
  peak: number;
  average: number;
  /** RFC 6381 codec of the video stream (from its init segment). */
  videoCodec: string;
  /** The rate the rendition was encoded at: the peak, as HLS asks (see `outputFrameRate`), not the average. */
  fps: number | null;
};

/** The CMAF audio rendition every variant plays with (`hls/audio/`). */
export type MasterAudio = { playlist: string; peak: number; average: number; codec: string };

export const AUDIO_GROUP = "audio";

/**
 * The master playlist, written here rather than by ffmpeg (whose npm build crashes on -master_pl_name): the video
 * renditions, largest first, each naming the audio group, whose one rendition is an EXT-X-MEDIA. BANDWIDTH counts
 * video and audio, CODECS lists both, as HLS asks.
 */
export function masterPlaylist({ variants, audio }: { variants: MasterVariant[]; audio: MasterAudio | null }): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"];
  if (audio) {
    lines.push(`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP}",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="${audio.playlist}"`);
  }
  const sorted = [...variants].sort((a, b) => b.rendition.width * b.rendition.height - a.rendition.width * a.rendition.height);
  for (const { rendition, playlist, peak, average, videoCodec, fps } of sorted) {
    const attributes = [
      `BANDWIDTH=${peak + (audio?.peak ?? 0)}`,
      `AVERAGE-BANDWIDTH=${average + (audio?.average ?? 0)}`,
      `RESOLUTION=${rendition.width}x${rendition.height}`,
      `CODECS="${audio ? `${videoCodec},${audio.codec}` : videoCodec}"`,
      ...(fps ? [`FRAME-RATE=${fps.toFixed(3)}`] : []),
      ...(audio ? [`AUDIO="${AUDIO_GROUP}"`] : []),
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
