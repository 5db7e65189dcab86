/** The HLS ladder: rungs by the picture's short side, never above the source. */
const RUNGS = [
  { name: "1080p", shortSide: 1080, maxBitrate: 5_000_000, audioBitrate: 128_000, level: "4.0", codec: "avc1.640028" },
  { name: "720p", shortSide: 720, maxBitrate: 2_800_000, audioBitrate: 128_000, level: "3.1", codec: "avc1.64001f" },
  { name: "480p", shortSide: 480, maxBitrate: 1_400_000, audioBitrate: 96_000, level: "3.0", codec: "avc1.64001e" },
  { name: "360p", shortSide: 360, maxBitrate: 800_000, audioBitrate: 96_000, level: "3.0", codec: "avc1.64001e" },
] as const;

export const AAC_LC = "mp4a.40.2";

export type Rendition = {
  name: string;
  width: number;
  height: number;
  /** Ceiling for the encoder (capped CRF: quiet lecture slides come out far smaller). */
  maxBitrate: number;
  audioBitrate: number;
  level: string;
  /** RFC 6381 codec of the H.264 stream at that profile and level. */
  videoCodec: string;
};

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

/** The picture's short side (what rungs are named by). */
export const shortSideOf = ({ width, height }: { width: number; height: number }) => Math.min(width, height);

export function planLadder({ width, height }: { width: number; height: number }): Rendition[] {
  const shortSide = Math.min(width, height);
  const landscape = width >= height;
  const size = (target: number) => {
    const long = even(((landscape ? width : height) * target) / shortSide);
    return landscape ? { width: long, height: even(target) } : { width: even(target), height: long };
  };
  const rungs = RUNGS.filter((rung) => rung.shortSide <= shortSide);
  if (rungs.length === 0) {
    // Smaller than 360p: one rendition at the source size.
    const smallest = RUNGS[3];
    return [
      {
        name: `${even(shortSide)}p`,
        ...size(shortSide),
        maxBitrate: smallest.maxBitrate,
        audioBitrate: smallest.audioBitrate,
        level: smallest.level,
        videoCodec: smallest.codec,
      },
    ];
  }
  return rungs.map((rung) => ({
    name: rung.name,
    ...size(rung.shortSide),
    maxBitrate: rung.maxBitrate,
    audioBitrate: rung.audioBitrate,
    level: rung.level,
    videoCodec: rung.codec,
  }));
}
