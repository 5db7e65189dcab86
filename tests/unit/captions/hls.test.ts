import { describe, expect, it } from "vitest";
import { masterWithSubtitles, subtitlePlaylist, subtitleSegment } from "@/lib/captions/hls";
import { firstPresentationTimestamp } from "@/lib/captions/mpegts";
import { planLadder } from "@/lib/processing/ladder";
import { masterPlaylist } from "@/lib/processing/playlists";

const [hd, sd] = planLadder({ width: 1280, height: 720 });
if (!hd || !sd) throw new Error("a 720p source gets two renditions");
const master = masterPlaylist({
  variants: [
    { rendition: hd, playlist: "720p/index.m3u8", peak: 3_000_000, average: 2_000_000, videoCodec: hd.videoCodec, fps: 30 },
    { rendition: sd, playlist: "360p/index.m3u8", peak: 900_000, average: 700_000, videoCodec: sd.videoCodec, fps: 30 },
  ],
  audio: null,
});

describe("the master playlist with caption tracks", () => {
  it("lists every track as EXT-X-MEDIA TYPE=SUBTITLES before the variants, and each variant names the group", () => {
    const text = masterWithSubtitles(master, [
      { language: "en", label: "English", kind: "captions", version: 3 },
      { language: "pt-BR", label: 'Português "BR"', kind: "subtitles", version: 1 },
    ]);
    const lines = text.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "#EXTM3U",
      "#EXT-X-VERSION:7",
      "#EXT-X-INDEPENDENT-SEGMENTS",
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,CHARACTERISTICS="public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound",URI="subtitles/en.m3u8?v=3"',
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Português 'BR'",LANGUAGE="pt-BR",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subtitles/pt-BR.m3u8?v=1"`,
    ]);
    const variants = lines.filter((line) => line.startsWith("#EXT-X-STREAM-INF:"));
    expect(variants).toHaveLength(2);
    for (const variant of variants) expect(variant).toMatch(/,SUBTITLES="subs"$/);
    expect(lines.filter((line) => line && !line.startsWith("#"))).toEqual(["720p/index.m3u8", "360p/index.m3u8"]);
  });

  it("keeps names unique in the group and leaves a master without tracks as it is", () => {
    const text = masterWithSubtitles(master, [
      { language: "en", label: "English", kind: "captions", version: 1 },
      { language: "en-GB", label: "English", kind: "captions", version: 1 },
    ]);
    expect(text).toContain('NAME="English (en-GB)"');
    expect(masterWithSubtitles(master, [])).toBe(master);
    expect(masterWithSubtitles(text, [{ language: "en", label: "English", kind: "captions", version: 2 }]).match(/SUBTITLES="subs"/g)).toHaveLength(2);
  });
});

describe("a track's media playlist and segment", () => {
  it("is one segment covering the whole video, with a target duration it fits in, then ENDLIST", () => {
    expect(subtitlePlaylist({ language: "en", version: 2, durationSeconds: 61.25 })).toBe(
      ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:62", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXTINF:61.250,", "en.vtt?v=2", "#EXT-X-ENDLIST", ""].join("\n"),
    );
  });

  it("maps cue time 0 onto the renditions' first MPEG-TS timestamp in the WebVTT header", () => {
    expect(subtitleSegment({ webvtt: "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n", firstPts: 126000 })).toBe(
      "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n\n00:00:01.000 --> 00:00:02.000\nHi\n",
    );
    expect(subtitleSegment({ webvtt: "WEBVTT\n", firstPts: undefined })).toBe("WEBVTT\n");
  });
});

const timestampBytes = (value: number, prefix: number) => {
  const high = Math.floor(value / 2 ** 30) & 0x7;
  return [prefix | (high << 1) | 1, (value >> 22) & 0xff, (((value >> 15) & 0x7f) << 1) | 1, (value >> 7) & 0xff, ((value & 0x7f) << 1) | 1];
};

/** One 188-byte TS packet starting a PES packet with this PTS (and DTS) at 90 kHz, on `pid`. */
function pesPacket({ pid, pts, dts, adaptation = false }: { pid: number; pts: number; dts?: number; adaptation?: boolean }): Uint8Array {
  const packet = new Uint8Array(188).fill(0xff);
  packet.set([0x47, 0x40 | (pid >> 8), pid & 0xff, adaptation ? 0x30 : 0x10]);
  let at = 4;
  if (adaptation) {
    packet.set([7, 0x10, 0, 0, 0, 0, 0, 0], 4); // an adaptation field with a PCR, 7 bytes long
    at += 8;
  }
  const header = dts === undefined ? [0x80, 5, ...timestampBytes(pts, 0x20)] : [0xc0, 10, ...timestampBytes(pts, 0x30), ...timestampBytes(dts, 0x10)];
  packet.set([0, 0, 1, 0xe0, 0, 0, 0x80, ...header], at);
  return packet;
}

describe("firstPresentationTimestamp", () => {
  it("finds the earliest time stamp among the PES packets at the start of a segment", () => {
    const pat = new Uint8Array(188).fill(0xff);
    pat.set([0x47, 0x40, 0x00, 0x10, 0x00, 0x00, 0xb0]);
    const audio = pesPacket({ pid: 257, pts: 129_910 });
    expect(firstPresentationTimestamp(new Uint8Array([...pat, ...pesPacket({ pid: 256, pts: 132_000, adaptation: true }), ...audio]))).toBe(129_910);
    // Video's decoding time runs ahead of its presentation time (B-frames): players start their clock there.
    expect(firstPresentationTimestamp(new Uint8Array([...pat, ...pesPacket({ pid: 256, pts: 132_000, dts: 126_000, adaptation: true }), ...audio]))).toBe(126_000);
  });

  it("reads 33-bit timestamps and gives up on bytes that are not MPEG-TS", () => {
    expect(firstPresentationTimestamp(pesPacket({ pid: 256, pts: 2 ** 32 + 5 }))).toBe(2 ** 32 + 5);
    expect(firstPresentationTimestamp(new TextEncoder().encode("WEBVTT".repeat(100)))).toBeUndefined();
  });
});
