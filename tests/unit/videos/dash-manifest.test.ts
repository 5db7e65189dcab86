import { describe, expect, it } from "vitest";
import { dashManifest, type DashVideo, frameRateAttribute, isoDuration, parseMaster, playlistInitUri, renditionOfUri, segmentTimeline } from "@/lib/videos/dash-manifest";

const master = [
  "#EXTM3U",
  "#EXT-X-VERSION:7",
  "#EXT-X-INDEPENDENT-SEGMENTS",
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"',
  '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",URI="subtitles/en.m3u8?v=1"',
  '#EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970,AUDIO="audio",SUBTITLES="subs"',
  "720p/index.m3u8",
  '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"',
  "360p/index.m3u8",
  "",
].join("\n");

const rendition = (overrides: Partial<DashVideo> = {}): DashVideo => ({
  id: "720p",
  codecs: "avc1.64001f",
  bandwidth: 2_900_000,
  width: 1280,
  height: 720,
  frameRate: 30,
  timescale: 15_360,
  startTime: 0,
  initialization: "https://store.example/r1/hls/720p/init.mp4?X-Amz-Signature=a&x-id=GetObject",
  segments: [
    { url: "https://store.example/r1/hls/720p/segment_0000.m4s?sig=1&b=2", duration: 6 },
    { url: "https://store.example/r1/hls/720p/segment_0001.m4s?sig=2", duration: 6 },
    { url: "https://store.example/r1/hls/720p/segment_0002.m4s?sig=3", duration: 1.5 },
  ],
  ...overrides,
});

describe("reading the HLS playlists", () => {
  it("takes the variants with their video and audio codecs apart, and the audio rendition's URI", () => {
    const { variants, audioUri } = parseMaster(master);
    expect(audioUri).toBe("audio/index.m3u8");
    expect(variants).toEqual([
      { uri: "720p/index.m3u8", bandwidth: 3_000_000, width: 1280, height: 720, videoCodecs: "avc1.64001f", audioCodecs: "mp4a.40.2", frameRate: 29.97, audioGroup: "audio" },
      { uri: "360p/index.m3u8", bandwidth: 900_000, width: 640, height: 360, videoCodecs: "avc1.64001e", audioCodecs: "mp4a.40.2", frameRate: null, audioGroup: "audio" },
    ]);
    expect(parseMaster("#EXTM3U\n").variants).toEqual([]);
  });

  it("finds a CMAF playlist's init segment and names renditions", () => {
    expect(playlistInitUri('#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:6.000000,\nsegment_0000.m4s\n')).toBe("init.mp4");
    expect(playlistInitUri("#EXTM3U\n#EXTINF:6.000000,\nsegment_0000.ts\n")).toBeUndefined();
    expect(["720p/index.m3u8", "audio/index.m3u8", "800p/index.m3u8", "../x/index.m3u8", "720p/other.m3u8"].map(renditionOfUri)).toEqual(["720p", "audio", "800p", undefined, undefined]);
  });
});

describe("the DASH manifest", () => {
  it("states exact durations in the track's timescale, rounding the running sum once and folding repeats", () => {
    expect(segmentTimeline({ timescale: 15_360, startTime: 0, durations: [6, 6, 1.5] })).toBe('<SegmentTimeline><S t="0" d="92160" r="1"/><S d="23040"/></SegmentTimeline>');
    // AAC frames: 6.016 s, 5.994667 s (281 frames of 1024), 1.013854 s at 48 kHz; no drift from the 6-decimal EXTINFs.
    expect(segmentTimeline({ timescale: 48_000, startTime: 1024, durations: [6.016, 5.994667, 1.013854] })).toBe(
      '<SegmentTimeline><S t="1024" d="288768"/><S d="287744"/><S d="48665"/></SegmentTimeline>',
    );
  });

  it("is a static MPD with one video AdaptationSet, an audio one and a text one per caption track, URLs escaped", () => {
    const mpd = dashManifest({
      video: [rendition(), rendition({ id: "360p", width: 640, height: 360, bandwidth: 800_000, frameRate: 29.97 })],
      audio: { ...rendition({ id: "audio", codecs: "mp4a.40.2", bandwidth: 97_000, timescale: 48_000 }), samplingRate: 48_000, segments: [{ url: "https://store.example/a0.m4s", duration: 13.5 }] },
      text: [{ language: "en", label: "English <CC>", kind: "captions", url: "/api/v1/education/videos/v/media/r1/hls/subtitles/en.vtt?v=2" }],
    });
    expect(mpd.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" profiles="urn:mpeg:dash:profile:full:2011" mediaPresentationDuration="PT13.5S" minBufferTime="PT14S">')).toBe(true);
    expect(mpd).toContain('<AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1" maxWidth="1280" maxHeight="720">');
    expect(mpd).toContain('<Representation id="720p" codecs="avc1.64001f" bandwidth="2900000" width="1280" height="720" frameRate="30" sar="1:1"><SegmentList timescale="15360">');
    expect(mpd).toContain('frameRate="30000/1001"');
    expect(mpd).toContain('<Initialization sourceURL="https://store.example/r1/hls/720p/init.mp4?X-Amz-Signature=a&amp;x-id=GetObject"/>');
    expect(mpd).toContain('<SegmentURL media="https://store.example/r1/hls/720p/segment_0000.m4s?sig=1&amp;b=2"/>');
    expect(mpd.match(/<SegmentURL /g)).toHaveLength(7);
    expect(mpd).toContain('<AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" segmentAlignment="true" startWithSAP="1"><Role schemeIdUri="urn:mpeg:dash:role:2011" value="main"/><Representation id="audio" codecs="mp4a.40.2" bandwidth="97000" audioSamplingRate="48000"><SegmentList timescale="48000">');
    expect(mpd).toContain(
      '<AdaptationSet id="2" contentType="text" mimeType="text/vtt" lang="en"><Role schemeIdUri="urn:mpeg:dash:role:2011" value="caption"/><Label>English &lt;CC&gt;</Label><Representation id="text-en" bandwidth="256"><BaseURL>/api/v1/education/videos/v/media/r1/hls/subtitles/en.vtt?v=2</BaseURL></Representation></AdaptationSet>',
    );
  });

  it("offsets the Period to the first fragment's decode time, leaves out audio for silent videos and alignment for unequal cuts", () => {
    const passthrough = rendition({ id: "1080p", width: 1920, height: 1080, startTime: 0, segments: [{ url: "https://s/p0.m4s", duration: 12.5 }, { url: "https://s/p1.m4s", duration: 1 }] });
    const mpd = dashManifest({ video: [passthrough, rendition({ startTime: 92_160 })] });
    expect(mpd).not.toContain("audio");
    expect(mpd).not.toContain("segmentAlignment");
    expect(mpd).toContain('<SegmentList timescale="15360" presentationTimeOffset="92160"><Initialization');
    expect(mpd).toContain('<S t="92160" d="92160" r="1"/>');
  });

  it("writes xs:durations and DASH frame rates", () => {
    expect([isoDuration(13.0249), isoDuration(0), isoDuration(3600.5)]).toEqual(["PT13.025S", "PT0S", "PT3600.5S"]);
    expect([30, 29.97, 23.976, 59.94, 12.5, 25].map(frameRateAttribute)).toEqual(["30", "30000/1001", "24000/1001", "60000/1001", "12500/1000", "25"]);
  });
});
