import type { CaptionKind } from "@/lib/captions/kinds";
import { AUDIO_RENDITION } from "./media-paths";

/**
 * A CMAF video's DASH manifest, made from its HLS playlists (the stored truth) at request time: a static MPD, one
 * Period, a video AdaptationSet with a Representation per rendition, an audio one when the video has sound, and a
 * text one per caption track. Segments are listed one by one (SegmentList + SegmentTimeline) because each carries
 * its own presigned URL; the timeline is in the track's own timescale, so durations are exact. Pure.
 */

export type DashSegment = { url: string; duration: number };

type Track = {
  id: string;
  codecs: string;
  bandwidth: number;
  /** The track's media timescale (the init segment's mdhd). */
  timescale: number;
  /** The first segment's baseMediaDecodeTime, in the timescale: the Period starts there. */
  startTime: number;
  initialization: string;
  segments: DashSegment[];
};
export type DashVideo = Track & { width: number; height: number; frameRate: number | null };
export type DashAudio = Track & { samplingRate?: number };
export type DashTextTrack = { language: string; label: string; kind: CaptionKind; url: string };

export type MasterVariant = { uri: string; bandwidth: number; width: number; height: number; videoCodecs: string; audioCodecs: string; frameRate: number | null; audioGroup?: string };

const AUDIO_CODEC = /^(mp4a|ac-3|ec-3|opus|flac)(\.|$)/;

/** An attribute list (RFC 8216, 4.2) as a map; quoted values unquoted. */
function attributes(list: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) {
    const [, name = "", value = ""] = match;
    found.set(name, value.startsWith('"') ? value.slice(1, -1) : value);
  }
  return found;
}

/** The master's variants (each with its video and audio codecs apart) and its audio rendition's URI, if any. */
export function parseMaster(master: string): { variants: MasterVariant[]; audioUri?: string } {
  const variants: MasterVariant[] = [];
  let audioUri: string | undefined;
  let pending: Map<string, string> | undefined;
  for (const raw of master.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#EXT-X-MEDIA:")) {
      const media = attributes(line.slice("#EXT-X-MEDIA:".length));
      if (media.get("TYPE") === "AUDIO" && media.get("URI") && audioUri === undefined) audioUri = media.get("URI");
    } else if (line.startsWith("#EXT-X-STREAM-INF:")) {
      pending = attributes(line.slice("#EXT-X-STREAM-INF:".length));
    } else if (line && !line.startsWith("#") && pending) {
      const [width = 0, height = 0] = (pending.get("RESOLUTION") ?? "").split("x").map(Number);
      const codecs = (pending.get("CODECS") ?? "").split(",").map((codec) => codec.trim()).filter(Boolean);
      const frameRate = Number.parseFloat(pending.get("FRAME-RATE") ?? "");
      variants.push({
        uri: line,
        bandwidth: Number(pending.get("BANDWIDTH") ?? 0),
        width,
        height,
        videoCodecs: codecs.filter((codec) => !AUDIO_CODEC.test(codec)).join(","),
        audioCodecs: codecs.filter((codec) => AUDIO_CODEC.test(codec)).join(","),
        frameRate: Number.isFinite(frameRate) && frameRate > 0 ? frameRate : null,
        audioGroup: pending.get("AUDIO"),
      });
      pending = undefined;
    }
  }
  return { variants, audioUri };
}

/** The EXT-X-MAP URI of a media playlist (the CMAF init segment); undefined for MPEG-TS playlists. */
export function playlistInitUri(playlist: string): string | undefined {
  const map = playlist.split("\n").find((line) => line.startsWith("#EXT-X-MAP:"));
  return map ? attributes(map.slice("#EXT-X-MAP:".length)).get("URI") : undefined;
}

/** The rendition a master URI names (`720p/index.m3u8` → `720p`, `audio/index.m3u8` → `audio`). */
export function renditionOfUri(uri: string): string | undefined {
  return new RegExp(`^((?:[0-9]{2,4}p|${AUDIO_RENDITION}))/index\\.m3u8$`).exec(uri)?.[1];
}

const xml = (value: string | number) =>
  String(value).replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[char] ?? char);

const element = (name: string, attrs: Record<string, string | number | undefined>, children?: string[]) => {
  const list = Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xml(value)}"`)
    .join("");
  return children && children.length > 0 ? `<${name}${list}>${children.join("")}</${name}>` : `<${name}${list}/>`;
};

/** An xs:duration in seconds, to the millisecond. */
export const isoDuration = (seconds: number) => `PT${Number(Math.max(0, seconds).toFixed(3))}S`;

/** DASH's FrameRateType: an integer, an NTSC-style `n*1000/1001`, or thousandths. */
export function frameRateAttribute(fps: number): string {
  if (Math.abs(fps - Math.round(fps)) < 0.001) return String(Math.round(fps));
  const ntsc = Math.round((fps * 1001) / 1000);
  if (Math.abs((ntsc * 1000) / 1001 - fps) < 0.001) return `${ntsc * 1000}/1001`;
  return `${Math.round(fps * 1000)}/1000`;
}

/**
 * The segments' timeline in the track's timescale: each start is the running sum of the playlist's durations,
 * rounded once (so rounding never accumulates), and equal durations in a row are one S with a repeat count.
 */
export function segmentTimeline({ timescale, startTime, durations }: { timescale: number; startTime: number; durations: number[] }): string {
  const entries: { d: number; r: number }[] = [];
  let elapsed = 0;
  let previous = 0;
  for (const duration of durations) {
    elapsed += duration;
    const end = Math.round(elapsed * timescale);
    const d = end - previous;
    previous = end;
    const last = entries.at(-1);
    if (last && last.d === d) last.r += 1;
    else entries.push({ d, r: 0 });
  }
  const items = entries.map((entry, index) => element("S", { t: index === 0 ? startTime : undefined, d: entry.d, r: entry.r > 0 ? entry.r : undefined }));
  return element("SegmentTimeline", {}, items);
}

const trackDuration = (track: Track) => track.segments.reduce((sum, segment) => sum + segment.duration, 0);

function segmentList(track: Track): string {
  return element("SegmentList", { timescale: track.timescale, presentationTimeOffset: track.startTime || undefined }, [
    element("Initialization", { sourceURL: track.initialization }),
    segmentTimeline({ timescale: track.timescale, startTime: track.startTime, durations: track.segments.map((segment) => segment.duration) }),
    ...track.segments.map((segment) => element("SegmentURL", { media: segment.url })),
  ]);
}

const CAPTION_ROLES: Record<CaptionKind, string> = { captions: "caption", subtitles: "subtitle" };

export function dashManifest({ video, audio, text = [] }: { video: DashVideo[]; audio?: DashAudio; text?: DashTextTrack[] }): string {
  const tracks: Track[] = [...video, ...(audio ? [audio] : [])];
  const duration = Math.max(0, ...tracks.map(trackDuration));
  const longestSegment = Math.max(1, ...tracks.flatMap((track) => track.segments.map((segment) => segment.duration)));
  const adaptationSets: string[] = [];
  if (video.length > 0) {
    // A passthrough rendition is cut at the source's keyframes, the encoded ones every 6 s: aligned only when equal.
    const cuts = (track: Track) => track.segments.map((segment) => segment.duration.toFixed(3)).join();
    const aligned = video.every((rendition) => cuts(rendition) === cuts(video[0] ?? rendition));
    adaptationSets.push(
      element(
        "AdaptationSet",
        {
          id: 0,
          contentType: "video",
          mimeType: "video/mp4",
          segmentAlignment: aligned ? "true" : undefined,
          startWithSAP: 1,
          maxWidth: Math.max(...video.map((rendition) => rendition.width)),
          maxHeight: Math.max(...video.map((rendition) => rendition.height)),
        },
        video.map((rendition) =>
          element(
            "Representation",
            {
              id: rendition.id,
              codecs: rendition.codecs,
              bandwidth: rendition.bandwidth,
              width: rendition.width,
              height: rendition.height,
              frameRate: rendition.frameRate ? frameRateAttribute(rendition.frameRate) : undefined,
              sar: "1:1",
            },
            [segmentList(rendition)],
          ),
        ),
      ),
    );
  }
  if (audio) {
    adaptationSets.push(
      element("AdaptationSet", { id: 1, contentType: "audio", mimeType: "audio/mp4", segmentAlignment: "true", startWithSAP: 1 }, [
        element("Role", { schemeIdUri: "urn:mpeg:dash:role:2011", value: "main" }),
        element("Representation", { id: audio.id, codecs: audio.codecs, bandwidth: audio.bandwidth, audioSamplingRate: audio.samplingRate }, [segmentList(audio)]),
      ]),
    );
  }
  text.forEach((track, index) => {
    adaptationSets.push(
      element("AdaptationSet", { id: 2 + index, contentType: "text", mimeType: "text/vtt", lang: track.language }, [
        element("Role", { schemeIdUri: "urn:mpeg:dash:role:2011", value: CAPTION_ROLES[track.kind] }),
        `<Label>${xml(track.label)}</Label>`,
        element("Representation", { id: `text-${track.language}`, bandwidth: 256 }, [`<BaseURL>${xml(track.url)}</BaseURL>`]),
      ]),
    );
  });
  const mpd = element(
    "MPD",
    {
      xmlns: "urn:mpeg:dash:schema:mpd:2011",
      type: "static",
      profiles: "urn:mpeg:dash:profile:full:2011",
      mediaPresentationDuration: isoDuration(duration),
      minBufferTime: isoDuration(Math.ceil(longestSegment)),
    },
    [element("Period", { id: "0", start: "PT0S" }, adaptationSets)],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${mpd}\n`;
}
