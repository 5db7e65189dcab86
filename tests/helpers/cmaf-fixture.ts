import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type postgres from "postgres";
import { resolveBinaries, runFfmpeg } from "@/lib/processing/ffmpeg";
import { measureBandwidth, parseMediaPlaylist, playlistDuration } from "@/lib/processing/playlists";
import { storage, videoRevisionKey, videoSourceKey } from "@/lib/storage";
import { AUDIO_RENDITION, INIT_SEGMENT, MASTER_PLAYLIST, renditionPlaylist } from "@/lib/videos/media-paths";

export type FixtureRendition = { name: string; width: number; height: number };

const HLS_FMP4 = ["-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", INIT_SEGMENT];

/**
 * Writes a revision in the CMAF layout of the shared contract (issue 14) by running ffmpeg the way processing
 * does: per video rendition `hls/<name>/index.m3u8` + `init.mp4` + `segment_%04d.m4s` (video only), one
 * `hls/audio/` rendition (AAC only) when `audio`, and the master with its AUDIO group. `format: "mpegts"` writes
 * the layout of videos processed before CMAF instead (`.ts` segments, muxed audio). `tsOffset` starts the media
 * clock that many seconds in (as sources with a non-zero start time do).
 */
export async function writeRevisionLayout({
  source,
  dir,
  renditions,
  audio,
  format = "cmaf",
  tsOffset = 0,
}: {
  source: string;
  dir: string;
  renditions: FixtureRendition[];
  audio: boolean;
  format?: "cmaf" | "mpegts";
  tsOffset?: number;
}): Promise<void> {
  const filters = [`[0:v:0]split=${renditions.length}${renditions.map((_, index) => `[s${index}]`).join("")}`];
  renditions.forEach((rendition, index) => filters.push(`[s${index}]scale=${rendition.width}:${rendition.height},setsar=1,format=yuv420p[v${index}]`));
  const args = ["-y", "-i", source, "-filter_complex", filters.join(";")];
  const offset = tsOffset ? ["-output_ts_offset", String(tsOffset)] : [];
  const video = (index: number) => ["-map", `[v${index}]`, "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-level:v", "3.0", "-crf", "23"];
  const keyframes = ["-force_key_frames", "expr:gte(t,n_forced*2)", "-sc_threshold", "0"];
  const aac = ["-c:a", "aac", "-b:a", "96000", "-ac", "2", "-ar", "48000"];
  for (const [index, rendition] of renditions.entries()) {
    const out = path.join(dir, "hls", rendition.name);
    await mkdir(out, { recursive: true });
    if (format === "cmaf") {
      args.push(...video(index), ...keyframes, ...offset, ...HLS_FMP4, "-hls_segment_filename", `${out}/segment_%04d.m4s`, `${out}/index.m3u8`);
    } else {
      args.push(...video(index), ...(audio ? ["-map", "0:a:0", ...aac] : []), ...keyframes, ...offset);
      args.push("-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_segment_filename", `${out}/segment_%04d.ts`, `${out}/index.m3u8`);
    }
  }
  if (format === "cmaf" && audio) {
    const out = path.join(dir, "hls", AUDIO_RENDITION);
    await mkdir(out, { recursive: true });
    args.push("-map", "0:a:0", ...aac, ...offset, ...HLS_FMP4, "-hls_segment_filename", `${out}/segment_%04d.m4s`, `${out}/index.m3u8`);
  }
  const { ffmpeg } = resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH });
  await runFfmpeg({ binary: ffmpeg, args, timeoutMs: 300_000, stallMs: 60_000 });

  const lines = ["#EXTM3U", `#EXT-X-VERSION:${format === "cmaf" ? 7 : 3}`, "#EXT-X-INDEPENDENT-SEGMENTS"];
  const audioGroup = format === "cmaf" && audio;
  if (audioGroup) lines.push(`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="${AUDIO_RENDITION}/index.m3u8"`);
  for (const rendition of renditions) {
    const out = path.join(dir, "hls", rendition.name);
    const segments = parseMediaPlaylist(await readFile(path.join(out, "index.m3u8"), "utf8"));
    const sized = await Promise.all(segments.map(async (segment) => ({ duration: segment.duration, bytes: (await stat(path.join(out, segment.uri))).size })));
    const { peak, average } = measureBandwidth(sized);
    const audioBits = audio ? 96_000 : 0;
    const codecs = audio ? "avc1.64001e,mp4a.40.2" : "avc1.64001e";
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${peak + audioBits},AVERAGE-BANDWIDTH=${average + audioBits},RESOLUTION=${rendition.width}x${rendition.height},CODECS="${codecs}",FRAME-RATE=30.000${audioGroup ? ',AUDIO="audio"' : ""}`,
      `${rendition.name}/index.m3u8`,
    );
  }
  await writeFile(path.join(dir, MASTER_PLAYLIST), `${lines.join("\n")}\n`);
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(dir, path.posix.join(prefix, entry.name)) : [path.posix.join(prefix, entry.name)])),
  );
  return nested.flat();
}

/**
 * A processed video whose revision 1 is the layout in `dir`, as processing leaves one: its row (status, duration
 * from the first rendition's playlist, transcoded versions) and its files in the local store.
 */
export async function storeProcessedVideo({
  sql,
  courseId,
  uploadedBy,
  dir,
  renditions,
  status = "ready",
}: {
  sql: postgres.Sql;
  courseId: string;
  uploadedBy: string;
  dir: string;
  renditions: FixtureRendition[];
  status?: string;
}): Promise<{ videoId: string; durationSeconds: number }> {
  const videoId = randomUUID();
  const revision = 1;
  for (const file of await listFiles(dir)) {
    const contentType = file.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : file.endsWith(".ts") ? "video/mp2t" : "video/mp4";
    await storage.putFile({ key: videoRevisionKey({ courseId, videoId, revision, path: file }), path: path.join(dir, file), contentType });
  }
  const first = renditions[0];
  if (!first) throw new Error("a processed video has a rendition");
  const durationSeconds = playlistDuration(parseMediaPlaylist(await readFile(path.join(dir, renditionPlaylist(first.name)), "utf8")));
  const versions = renditions.map((rendition) => ({ name: rendition.name, width: rendition.width, height: rendition.height, bitrate: 800_000, playlistKey: renditionPlaylist(rendition.name) }));
  await sql`
    insert into videos (id, course_id, uploaded_by, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type,
      status, duration_seconds, media_revision, processing_revision, transcoded_versions)
    values (${videoId}, ${courseId}, ${uploadedBy}, ${"CMAF fixture"}, ${"lesson.mp4"}, ${"local"}, ${storage.config.bucket},
      ${videoSourceKey({ courseId, videoId, contentType: "video/mp4" })}, ${1_000_000}, ${"video/mp4"},
      ${status}, ${durationSeconds}, ${revision}, ${revision}, ${JSON.stringify(versions)}::jsonb)`;
  return { videoId, durationSeconds };
}
