import { execFile } from "node:child_process";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveBinaries } from "@/lib/processing/ffmpeg";
import { parseMediaPlaylist, playlistDuration } from "@/lib/processing/playlists";
import type { Actor } from "@/lib/videos/access";
import { storage, videoRevisionKey } from "@/lib/storage";
import { getMedia } from "@/lib/videos/media";
import { mediaRoutePath } from "@/lib/videos/media-paths";
import { type FixtureRendition, storeProcessedVideo, writeRevisionLayout } from "../helpers/cmaf-fixture";
import { createCourseWorld } from "../helpers/course-world";
import { testDatabase } from "../helpers/db";
import { instructor, uploadFile, waitUntilProcessed } from "../helpers/processing-flow";
import { makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const run = promisify(execFile);
const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-dash-test-${process.pid}`);
const renditions: FixtureRendition[] = [
  { name: "360p", width: 640, height: 360 },
  { name: "240p", width: 426, height: 240 },
];
const WEBVTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\n";

let world: Awaited<ReturnType<typeof createCourseWorld>>;
let owner: Actor;
let viewer: Actor;
let cmaf: { videoId: string; durationSeconds: number };
let mpegts: { videoId: string; durationSeconds: number };
let server: http.Server;
let origin = "";
const members = new Map<string, Actor>();
const whitelist = ["-protocol_whitelist", "http,tcp,https,tls"];
const { ffprobe, ffmpeg } = resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH, ffprobePath: process.env.FFPROBE_PATH });
// ffmpeg 5.1's DASH reader sizes its URL buffers from the manifest's own URL and BaseURLs, so it truncates segment
// URLs longer than those (presigned ones are ~600 characters); an unused query gives it room.
const manifestUrl = (videoId: string) => `${origin}${mediaRoutePath({ videoId, path: "dash/manifest.mpd" })}?room=${"x".repeat(2048)}`;

/** ffprobe's reading of a DASH manifest: its streams and duration, and how many packets each stream had in all. */
async function probeDash(url: string) {
  const { stdout } = await run(ffprobe, ["-v", "error", ...whitelist, "-show_entries", "format=duration:stream=codec_type,codec_name,width,height", "-of", "json", url]);
  const probe = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_type: string; codec_name: string; width?: number; height?: number }[] };
  // One stream per count: with all streams at once, ffmpeg 5.1's reader stops when the (short) WebVTT track ends.
  const packets = await Promise.all(
    probe.streams
      .filter((stream) => stream.codec_type !== "subtitle")
      .map(async (_, index) => {
        const counted = await run(ffprobe, ["-v", "error", ...whitelist, "-select_streams", String(index), "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "json", url]);
        return Number((JSON.parse(counted.stdout) as { streams: { nb_read_packets: string }[] }).streams[0]?.nb_read_packets);
      }),
  );
  const streams = probe.streams.map((stream) => `${stream.codec_type}:${stream.codec_name}${stream.width ? `:${stream.width}x${stream.height}` : ""}`);
  return { streams, duration: Number(probe.format.duration), packets };
}

const text = async (actor: Actor, videoId: string, file: string) => {
  const media = await getMedia({ actor, videoId, path: file });
  if (media.kind !== "text") throw new Error(`expected text for ${file}, got ${media.kind}`);
  return media;
};
const unescapeXml = (value: string) => value.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const fetchBytes = async (url: string) => {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
};
const boxType = (bytes: Uint8Array) => String.fromCharCode(...bytes.subarray(4, 8));

beforeAll(async () => {
  world = await createCourseWorld(sql, ["owner", "viewer"]);
  owner = { id: world.first("owner").id };
  await mkdir(fixtures, { recursive: true });
  viewer = { id: world.first("viewer").id };
  const source = await makeVideoFixture({ path: path.join(fixtures, "lesson.mp4"), seconds: 13, width: 640, height: 360 });
  const cmafDir = path.join(fixtures, "cmaf");
  const tsDir = path.join(fixtures, "mpegts");
  await writeRevisionLayout({ source, dir: cmafDir, renditions, audio: true });
  await writeRevisionLayout({ source, dir: tsDir, renditions: renditions.slice(0, 1), audio: true, format: "mpegts" });
  const store = (dir: string, list: FixtureRendition[], status?: string) =>
    storeProcessedVideo({ sql, courseId: world.courseId, uploadedBy: owner.id, dir, renditions: list, status });
  cmaf = await store(cmafDir, renditions);
  mpegts = await store(tsDir, renditions.slice(0, 1));
  await sql`insert into caption_tracks (video_id, language, label, kind, origin, content, cue_count, version)
    values (${cmaf.videoId}, 'en', 'English', 'captions', 'uploaded', ${WEBVTT}, 1, 2)`;

  // The media route's answers (for a member of the video's course), at the route's paths, for ffmpeg's DASH reader.
  server = http.createServer((request, response) => {
    const [, videoId = "", file = ""] = /^\/api\/v1\/education\/videos\/([^/]+)\/media\/(.+)$/.exec(new URL(request.url ?? "/", "http://x").pathname) ?? [];
    getMedia({ actor: members.get(videoId) ?? owner, videoId, path: decodeURIComponent(file) }).then(
      (media) => {
        if (media.kind === "redirect") response.writeHead(302, { location: media.url }).end();
        else response.writeHead(200, { "content-type": media.contentType }).end(media.body);
      },
      (error: { status?: number }) => response.writeHead(error.status ?? 500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("a CMAF video as DASH", () => {
  it("has a static MPD whose timelines add up to the video's duration and whose every URL is fetchable", { timeout: 60_000 }, async () => {
    const media = await text(owner, cmaf.videoId, "dash/manifest.mpd");
    expect(media.contentType).toBe("application/dash+xml");
    expect(media.maxAgeSeconds).toBeGreaterThan(0);
    expect(media.maxAgeSeconds).toBeLessThanOrEqual(300);
    const mpd = media.body;
    expect(mpd).toMatch(/<MPD [^>]*type="static"/);
    const declared = Number(/mediaPresentationDuration="PT([0-9.]+)S"/.exec(mpd)?.[1]);
    expect(declared).toBeGreaterThanOrEqual(cmaf.durationSeconds - 0.001);
    expect(declared).toBeLessThan(cmaf.durationSeconds + 0.1);

    const representations = [...mpd.matchAll(/<Representation ([^>]*)>(.*?)<\/Representation>/g)];
    expect(representations.map((match) => /id="([^"]+)"/.exec(match[1] ?? "")?.[1])).toEqual(["360p", "240p", "audio", "text-en"]);
    expect(representations[0]?.[1]).toMatch(/codecs="avc1\.64001e" bandwidth="\d+" width="640" height="360" frameRate="30"/);
    expect(representations[2]?.[1]).toMatch(/codecs="mp4a\.40\.2" bandwidth="\d+" audioSamplingRate="48000"/);
    for (const [, , body = ""] of representations.slice(0, 3)) {
      const timescale = Number(/<SegmentList timescale="(\d+)"/.exec(body)?.[1]);
      const timeline = [...body.matchAll(/<S (?:t="\d+" )?d="(\d+)"(?: r="(\d+)")?\/>/g)];
      const units = timeline.reduce((sum, [, d, r]) => sum + Number(d) * (Number(r ?? 0) + 1), 0);
      expect(Math.abs(units / timescale - cmaf.durationSeconds)).toBeLessThan(0.05);
      const count = timeline.reduce((sum, [, , r]) => sum + Number(r ?? 0) + 1, 0);
      const urls = [...body.matchAll(/<SegmentURL media="([^"]+)"\/>/g)].map((match) => unescapeXml(match[1] ?? ""));
      expect(urls).toHaveLength(count);
      const init = unescapeXml(/<Initialization sourceURL="([^"]+)"\/>/.exec(body)?.[1] ?? "");
      expect(init).toContain("X-Amz-Signature=");
      expect(boxType(await fetchBytes(init))).toBe("ftyp");
      for (const url of urls) expect(["styp", "moof"]).toContain(boxType(await fetchBytes(url)));
    }
    expect(mpd).toContain('<AdaptationSet id="2" contentType="text" mimeType="text/vtt" lang="en">');
    expect(mpd).toContain(`<BaseURL>/api/v1/education/videos/${cmaf.videoId}/media/r1/hls/subtitles/en.vtt?v=2</BaseURL>`);
  });

  it("is read by ffmpeg's DASH demuxer over HTTP: every rendition and the audio, as long as the video", { timeout: 120_000 }, async () => {
    const url = manifestUrl(cmaf.videoId);
    const { streams, duration, packets } = await probeDash(url);
    expect(streams).toEqual(["video:h264:640x360", "video:h264:426x240", "audio:aac", "subtitle:webvtt"]);
    expect(Math.abs(duration - cmaf.durationSeconds)).toBeLessThan(0.1);
    // Every segment was read: a frame per 1/30 s in each rendition, an AAC frame per 1024 samples at 48 kHz.
    expect(packets.slice(0, 2)).toEqual([Math.round(cmaf.durationSeconds * 30), Math.round(cmaf.durationSeconds * 30)]);
    expect(Math.abs((packets[2] ?? 0) - (cmaf.durationSeconds * 48_000) / 1024)).toBeLessThan(3);
    // Decoding the top rendition and the audio end to end reads every segment of both.
    const { stderr } = await run(ffmpeg, ["-v", "error", ...whitelist, "-i", url, "-map", "0:v:0", "-map", "0:a:0", "-f", "null", "-"]);
    expect(stderr).toBe("");
  });

  it("follows the published master: while only its first rendition is listed (playable), the MPD has only that one", async () => {
    const masterKey = videoRevisionKey({ courseId: world.courseId, videoId: cmaf.videoId, revision: 1, path: "hls/master.m3u8" });
    const full = (await text(owner, cmaf.videoId, "r1/hls/master.m3u8")).body;
    const lines = full.split("\n");
    const second = lines.findIndex((line, index) => line.startsWith("#EXT-X-STREAM-INF:") && index > lines.findIndex((other) => other.startsWith("#EXT-X-STREAM-INF:")));
    const firstOnly = [...lines.slice(0, second), ""].join("\n");
    const ids = (mpd: string) => [...mpd.matchAll(/<Representation id="([^"]+)"/g)].map((match) => match[1]);
    try {
      await storage.putObject({ key: masterKey, body: firstOnly, contentType: "application/vnd.apple.mpegurl" });
      await sql`update videos set status = 'playable' where id = ${cmaf.videoId}`;
      const playable = await text(viewer, cmaf.videoId, "dash/manifest.mpd");
      expect(ids(playable.body)).toEqual(["360p", "audio", "text-en"]);
      expect(playable.maxAgeSeconds).toBe(0); // it gains renditions: not cached until ready
    } finally {
      await sql`update videos set status = 'ready' where id = ${cmaf.videoId}`;
      await storage.putObject({ key: masterKey, body: full.replace(/#EXT-X-MEDIA:TYPE=SUBTITLES.*\n/, "").replace(/,SUBTITLES="subs"/g, ""), contentType: "application/vnd.apple.mpegurl" });
    }
    expect(ids((await text(owner, cmaf.videoId, "r1/dash/manifest.mpd")).body)).toEqual(["360p", "240p", "audio", "text-en"]);
  });

  it("is a clear 404 for a video still in MPEG-TS, for strangers and for viewers of a video not yet watchable", async () => {
    await expect(getMedia({ actor: owner, videoId: mpegts.videoId, path: "dash/manifest.mpd" })).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/no DASH manifest.*MPEG-TS/),
    });
    await expect(getMedia({ actor: { id: world.outsider.id }, videoId: cmaf.videoId, path: "dash/manifest.mpd" })).rejects.toMatchObject({ status: 404 });
    expect((await text(viewer, cmaf.videoId, "dash/manifest.mpd")).body).toContain("<MPD");
    await sql`update videos set status = 'processing' where id = ${cmaf.videoId}`;
    try {
      await expect(getMedia({ actor: viewer, videoId: cmaf.videoId, path: "dash/manifest.mpd" })).rejects.toMatchObject({ status: 404 });
      expect((await text(owner, cmaf.videoId, "dash/manifest.mpd")).body).toContain("<MPD");
    } finally {
      await sql`update videos set status = 'ready' where id = ${cmaf.videoId}`;
    }
  });
});

describe("a CMAF video as HLS", () => {
  it("signs every segment and the init segment (EXT-X-MAP) of each rendition, the audio rendition too", { timeout: 60_000 }, async () => {
    for (const rendition of ["360p", "240p", "audio"]) {
      const playlist = (await text(owner, cmaf.videoId, `hls/${rendition}/index.m3u8`)).body;
      const map = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)?.[1] ?? "";
      expect(map, rendition).toContain("X-Amz-Signature=");
      expect(boxType(await fetchBytes(map))).toBe("ftyp");
      const segments = parseMediaPlaylist(playlist);
      expect(playlistDuration(segments)).toBeCloseTo(cmaf.durationSeconds, 0);
      for (const segment of segments) expect(["styp", "moof"]).toContain(boxType(await fetchBytes(segment.uri)));
    }
  });

  it("keeps the master's audio group beside the caption tracks' subtitles group", async () => {
    const master = (await text(owner, cmaf.videoId, "hls/master.m3u8")).body;
    const lines = master.split("\n");
    expect(lines.filter((line) => line.startsWith("#EXT-X-MEDIA:TYPE=AUDIO"))).toEqual([
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"',
    ]);
    expect(lines.filter((line) => line.startsWith("#EXT-X-MEDIA:TYPE=SUBTITLES"))).toHaveLength(1);
    for (const variant of lines.filter((line) => line.startsWith("#EXT-X-STREAM-INF:"))) {
      expect(variant).toContain('AUDIO="audio"');
      expect(variant).toContain('SUBTITLES="subs"');
    }
  });

  it("maps caption time 0 onto the start of the fMP4 timeline (the first fragment's tfdt), so cues land on time", { timeout: 60_000 }, async () => {
    // A revision whose renditions start 6 s into their encode (the first fragment of each left out), as an fMP4
    // timeline that does not start at 0 does: hls.js places media by tfdt, so the map must say where it starts.
    const dir = path.join(fixtures, "late-start");
    await cp(path.join(fixtures, "cmaf"), dir, { recursive: true });
    const starts: Record<string, number> = {};
    for (const rendition of ["360p", "240p", "audio"]) {
      const file = path.join(dir, "hls", rendition, "index.m3u8");
      const playlist = await readFile(file, "utf8");
      starts[rendition] = parseMediaPlaylist(playlist)[0]?.duration ?? 0;
      await writeFile(file, playlist.replace(/#EXTINF:[0-9.]+,\nsegment_0000\.m4s\n/, ""));
      await rm(path.join(dir, "hls", rendition, "segment_0000.m4s"));
    }
    const late = await storeProcessedVideo({ sql, courseId: world.courseId, uploadedBy: owner.id, dir, renditions });
    await sql`insert into caption_tracks (video_id, language, label, kind, origin, content, cue_count)
      values (${late.videoId}, 'en', 'English', 'captions', 'uploaded', ${WEBVTT}, 1)`;
    const segment = (await text(viewer, late.videoId, "hls/subtitles/en.vtt")).body;
    const mpegts = Number(/^X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:00:00:00\.000$/m.exec(segment)?.[1]);
    // The top rendition's timeline starts where the left-out fragment ended: 6 s, on the 90 kHz clock.
    expect(mpegts).toBe(Math.round((starts["360p"] ?? 0) * 90_000));

    // And the DASH manifest of that revision starts its Period there (presentationTimeOffset), timelines from it.
    const mpd = (await text(owner, late.videoId, "dash/manifest.mpd")).body;
    expect(mpd).toMatch(/<SegmentList timescale="(\d+)" presentationTimeOffset="(\d+)"><Initialization/);
    for (const [, timescale, offset] of mpd.matchAll(/<SegmentList timescale="(\d+)" presentationTimeOffset="(\d+)">/g)) {
      expect(Number(offset) / Number(timescale)).toBeGreaterThan(5.9);
    }
  });
});

describe("a video the worker processed", () => {
  let worker: WorkerProcess | undefined;
  afterAll(async () => {
    await worker?.stop();
  });

  it("has a DASH manifest ffmpeg plays whole: every rendition of the master and the audio, as long as the video", { timeout: 240_000 }, async () => {
    const work = path.join(fixtures, "work");
    await mkdir(work, { recursive: true });
    worker = spawnWorker({ PROCESSING_TEMP_DIR: work });
    const clip = await makeVideoFixture({ path: path.join(fixtures, "processed.mp4"), seconds: 8, width: 854, height: 480 });
    const videoId = await uploadFile(clip, "Processed for DASH");
    const done = await waitUntilProcessed(sql, videoId, 180_000);
    expect(done, worker.output()).toMatchObject({ status: "ready" });
    members.set(videoId, instructor);

    const master = (await text(instructor, videoId, "hls/master.m3u8")).body;
    const variants = master.split("\n").filter((line) => line.startsWith("#EXT-X-STREAM-INF:"));
    const resolutions = variants.map((line) => /RESOLUTION=(\d+x\d+)/.exec(line)?.[1]);
    expect(resolutions.length).toBeGreaterThan(1);
    const mpd = (await text(instructor, videoId, "dash/manifest.mpd")).body;
    for (const url of [...mpd.matchAll(/(?:sourceURL|media)="([^"]+)"/g)].map((match) => unescapeXml(match[1] ?? ""))) {
      expect(["ftyp", "styp", "moof"]).toContain(boxType(await fetchBytes(url)));
    }

    const { streams, duration, packets } = await probeDash(manifestUrl(videoId));
    expect(streams).toEqual([...resolutions.map((resolution) => `video:h264:${resolution}`), "audio:aac"]);
    expect(Math.abs(duration - (done.duration_seconds ?? 0))).toBeLessThan(0.1);
    for (const count of packets.slice(0, -1)) expect(count).toBe(8 * 30);
    // The source's AAC is copied as it is (44.1 kHz here): an AAC frame per 1024 samples at the rate the MPD states.
    const sampleRate = Number(/audioSamplingRate="(\d+)"/.exec(mpd)?.[1]);
    expect(sampleRate).toBe(44_100);
    expect(Math.abs((packets.at(-1) ?? 0) - (8 * sampleRate) / 1024)).toBeLessThan(3);
  });
});
