import type { CaptionKind } from "./kinds";

/** The master's subtitles group: every STREAM-INF names it, every track is an EXT-X-MEDIA in it. */
export const SUBTITLES_GROUP = "subs";

/** The app's media paths of a track, relative to the revision: its WebVTT media playlist and its one segment. */
export const SUBTITLES_PATH = /^hls\/subtitles\/([A-Za-z0-9-]{1,35})\.(m3u8|vtt)$/;

export type SubtitleTrack = { language: string; label: string; kind: CaptionKind; version: number };

// Quoted strings cannot hold a double quote, CR or LF (RFC 8216, 4.2).
const quoted = (value: string) => `"${value.replace(/["\r\n]/g, "'")}"`;

/** Apple's characteristics for captions (dialogue and sounds, for viewers who cannot hear), as opposed to subtitles. */
const CAPTION_CHARACTERISTICS = "public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound";

/**
 * The master playlist with the video's caption tracks: one `EXT-X-MEDIA:TYPE=SUBTITLES` per track (URIs relative
 * to the master, with the track's version so a changed track is fetched anew) and `SUBTITLES="subs"` on every
 * variant. Without tracks the master is returned as it is (a SUBTITLES attribute must name an existing group).
 */
export function masterWithSubtitles(master: string, tracks: SubtitleTrack[]): string {
  if (tracks.length === 0) return master;
  const names = new Set<string>();
  const media = tracks.map((track) => {
    // NAME must be unique in the group.
    const name = names.has(track.label) ? `${track.label} (${track.language})` : track.label;
    names.add(name);
    const attributes = [
      "TYPE=SUBTITLES",
      `GROUP-ID=${quoted(SUBTITLES_GROUP)}`,
      `NAME=${quoted(name)}`,
      `LANGUAGE=${quoted(track.language)}`,
      "DEFAULT=NO",
      "AUTOSELECT=YES",
      "FORCED=NO",
      ...(track.kind === "captions" ? [`CHARACTERISTICS=${quoted(CAPTION_CHARACTERISTICS)}`] : []),
      `URI=${quoted(`subtitles/${track.language}.m3u8?v=${track.version}`)}`,
    ];
    return `#EXT-X-MEDIA:${attributes.join(",")}`;
  });
  const lines = master.split("\n").filter((line) => !line.startsWith("#EXT-X-MEDIA:TYPE=SUBTITLES"));
  const firstVariant = lines.findIndex((line) => line.startsWith("#EXT-X-STREAM-INF:"));
  const withGroup = lines.map((line) =>
    line.startsWith("#EXT-X-STREAM-INF:") && !/(^|[:,])SUBTITLES=/.test(line) ? `${line},SUBTITLES=${quoted(SUBTITLES_GROUP)}` : line,
  );
  withGroup.splice(firstVariant < 0 ? withGroup.length : firstVariant, 0, ...media);
  return withGroup.join("\n");
}

/**
 * A track's WebVTT media playlist: one segment covering the whole video (valid HLS: a segment may be as long as
 * the target duration, which is its duration rounded up), then ENDLIST, as the video's playlists are VOD.
 */
export function subtitlePlaylist({ language, version, durationSeconds }: { language: string; version: number; durationSeconds: number }): string {
  const duration = Math.max(0.001, durationSeconds);
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(duration))}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    `#EXTINF:${duration.toFixed(3)},`,
    `${language}.vtt?v=${version}`,
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
}

/**
 * The track as an HLS WebVTT segment: cue time 0 mapped to where the video's timeline starts, on the 90 kHz clock
 * (the first MPEG-TS timestamp, or the first fMP4 fragment's decode time converted, for CMAF renditions).
 */
export function subtitleSegment({ webvtt, firstPts }: { webvtt: string; firstPts: number | undefined }): string {
  if (firstPts === undefined) return webvtt;
  const end = webvtt.indexOf("\n");
  const signature = end < 0 ? webvtt : webvtt.slice(0, end);
  const rest = end < 0 ? "\n" : webvtt.slice(end);
  return `${signature}\nX-TIMESTAMP-MAP=MPEGTS:${firstPts},LOCAL:00:00:00.000${rest}`;
}
