import { describe, expect, it } from "vitest";
import { planLadder } from "@/lib/processing/ladder";
import { masterPlaylist, measureBandwidth, parseMediaPlaylist, rewritePlaylistUris } from "@/lib/processing/playlists";

const media = `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:6
#EXT-X-PLAYLIST-TYPE:VOD
#EXTINF:6.000000,
segment_0000.ts
#EXTINF:4.000000,
segment_0001.ts
#EXT-X-ENDLIST
`;

describe("playlists", () => {
  it("reads a media playlist's segments", () => {
    expect(parseMediaPlaylist(media)).toEqual([
      { uri: "segment_0000.ts", duration: 6 },
      { uri: "segment_0001.ts", duration: 4 },
    ]);
  });

  it("measures peak and average bandwidth from segment sizes", () => {
    expect(measureBandwidth([{ duration: 6, bytes: 750_000 }, { duration: 4, bytes: 250_000 }])).toEqual({ peak: 1_000_000, average: 800_000 });
    expect(measureBandwidth([])).toEqual({ peak: 0, average: 0 });
  });

  it("writes a master playlist with BANDWIDTH (video and audio), RESOLUTION, CODECS and the audio group, largest rendition first", () => {
    const [hd, sd] = planLadder({ width: 1280, height: 720 });
    if (!hd || !sd) throw new Error("expected two renditions");
    const variants = [
      { rendition: sd, playlist: "480p/index.m3u8", peak: 900_000, average: 700_000, videoCodec: "avc1.64001e", fps: null },
      { rendition: hd, playlist: "720p/index.m3u8", peak: 2_000_000, average: 1_500_000, videoCodec: "avc1.64001f", fps: 30 },
    ];
    const text = masterPlaylist({ variants, audio: { playlist: "audio/index.m3u8", peak: 130_000, average: 128_000, codec: "mp4a.40.2" } });
    expect(text.split("\n")).toEqual([
      "#EXTM3U",
      "#EXT-X-VERSION:7",
      "#EXT-X-INDEPENDENT-SEGMENTS",
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=2130000,AVERAGE-BANDWIDTH=1628000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=30.000,AUDIO="audio"',
      "720p/index.m3u8",
      '#EXT-X-STREAM-INF:BANDWIDTH=1030000,AVERAGE-BANDWIDTH=828000,RESOLUTION=854x480,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"',
      "480p/index.m3u8",
      "",
    ]);
    // Without audio: no group, video codecs only.
    expect(masterPlaylist({ variants: variants.slice(0, 1), audio: null })).toContain(
      '#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,RESOLUTION=854x480,CODECS="avc1.64001e"\n480p/index.m3u8',
    );
  });

  it("rewrites URI lines only", async () => {
    const rewritten = await rewritePlaylistUris(media, async (uri) => `https://storage.example/${uri}?signed`);
    expect(rewritten).toContain("https://storage.example/segment_0001.ts?signed");
    expect(rewritten).toContain("#EXTINF:4.000000,");
    expect(rewritten.split("\n")).toHaveLength(media.split("\n").length);
  });
});
