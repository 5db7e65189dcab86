import { planLadder, type Rendition, shortSideOf } from "./ladder";
import type { Probe } from "./probe";

/** H.264 profiles every browser's decoder plays (8-bit 4:2:0; High 10, 4:2:2 and 4:4:4 are not among them). */
const PLAYABLE_PROFILES = new Set(["Baseline", "Constrained Baseline", "Main", "High"]);
/** Level 5.1: 4K at 30 fps; what browsers' hardware decoders promise. */
const MAX_LEVEL = 51;
/**
 * A source far above the bitrate the ladder would give its size is not served as it is (a camera's 50 Mbps would
 * reach every viewer on a fast connection): it is encoded like any other, smallest rung first.
 */
const MAX_BITRATE_OVER_CAP = 3;
/** Keyframes "at most ~10 s apart", seen in the remuxed playlist: segments are cut at the first keyframe after 6 s. */
export const MAX_PASSTHROUGH_SEGMENT_SECONDS = 12.5;

/**
 * Why the source cannot be served as it is (remuxed into CMAF without re-encoding), or null when it can: H.264 8-bit
 * 4:2:0 within level 5.1, progressive, square pixels, no rotation, AAC or no audio, in MP4/MOV or Matroska, at a
 * bitrate near what the ladder gives its size. Keyframe spacing is checked on the remuxed playlist (no scan of the file).
 */
export function passthroughRefusal(probe: Probe): string | null {
  const stream = probe.stream;
  if (!stream) return "no stream details";
  if (probe.videoCodec !== "h264") return `video codec ${probe.videoCodec}`;
  if (probe.demuxer === "avi") return "AVI container (no presentation timestamps to copy)";
  if (stream.pixelFormat !== "yuv420p") return `pixel format ${stream.pixelFormat ?? "unknown"}`;
  if (!stream.profile || !PLAYABLE_PROFILES.has(stream.profile)) return `H.264 profile ${stream.profile ?? "unknown"}`;
  if (stream.level === null || stream.level > MAX_LEVEL) return `H.264 level ${stream.level ?? "unknown"}`;
  if (stream.fieldOrder && stream.fieldOrder !== "progressive" && stream.fieldOrder !== "unknown") return `interlaced (${stream.fieldOrder})`;
  if (!stream.squarePixels) return "non-square pixels";
  if (stream.rotation % 360 !== 0) return `rotated ${stream.rotation}°`;
  if (probe.audio && probe.audio.codec !== "aac") return `audio codec ${probe.audio.codec}`;
  const bitrate = stream.bitrate ?? probe.bitrate;
  const cap = passthroughBitrateCap(probe);
  if (bitrate !== null && bitrate > cap) return `bitrate ${Math.round(bitrate / 1000)} kb/s above ${Math.round(cap / 1000)} kb/s`;
  return null;
}

function passthroughBitrateCap(probe: Pick<Probe, "width" | "height">): number {
  const [top] = planLadder(probe);
  if (!top) return 0;
  const scale = Math.max(1, (probe.width * probe.height) / (top.width * top.height));
  return top.maxBitrate * MAX_BITRATE_OVER_CAP * scale;
}

/** The remuxed source as a rendition: its own size, named by its short side (`1080p`); the codec is read from its init segment. */
export function passthroughRendition(probe: Pick<Probe, "width" | "height">): Rendition {
  const [top] = planLadder(probe);
  const shortSide = shortSideOf(probe);
  return {
    name: `${shortSide}p`,
    width: probe.width,
    height: probe.height,
    maxBitrate: top?.maxBitrate ?? 0,
    audioBitrate: top?.audioBitrate ?? 128_000,
    level: "",
    videoCodec: "",
  };
}

/** The AAC of the source is copied as it is when it is AAC-LC in mono or stereo (what `mp4a.40.2` says); else it is encoded. */
export function copiesAudio(probe: Pick<Probe, "audio">): boolean {
  const audio = probe.audio;
  return audio !== null && audio.codec === "aac" && (audio.profile ?? "LC") === "LC" && (audio.channels ?? 2) <= 2;
}

/** The ladder's rungs below the passthrough rendition (it takes the place of the rung at its size). */
export function rungsBelow(ladder: Rendition[], passthrough: Rendition): Rendition[] {
  const side = shortSideOf(passthrough);
  return ladder.filter((rung) => shortSideOf(rung) < side && rung.name !== passthrough.name);
}
