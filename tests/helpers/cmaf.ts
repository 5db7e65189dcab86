import { writeFile } from "node:fs/promises";
import { resolveBinaries, runFfprobe } from "@/lib/processing/ffmpeg";
import { parseMediaPlaylist } from "@/lib/processing/playlists";
import { getMedia } from "@/lib/videos/media";
import { INIT_SEGMENT } from "@/lib/videos/media-paths";
import { instructor, mediaText } from "./processing-flow";

const boxType = (bytes: Uint8Array, offset = 0) => Buffer.from(bytes.subarray(offset + 4, offset + 8)).toString("latin1");

/** A stored file of the video's published revision, fetched where the media route sends players (a presigned URL). */
async function storedBytes(videoId: string, file: string): Promise<Uint8Array> {
  const media = await getMedia({ actor: instructor, videoId, path: file });
  if (media.kind !== "redirect") throw new Error(`expected a redirect for ${file}, got ${media.kind}`);
  const response = await fetch(media.url);
  if (response.status !== 200) throw new Error(`${file}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export type CmafRendition = {
  playlist: string;
  segments: { uri: string; duration: number }[];
  /** init.mp4 + the first segment, as one file ffprobe reads (what a player's source buffer gets). */
  firstFile: string;
  boxes: { init: string; segment: string };
};

/**
 * A CMAF rendition of the published revision as a player gets it: its media playlist from the media route, its init
 * segment and first media segment from storage, written together to `scratch` for ffprobe.
 */
export async function fetchCmafRendition({ videoId, rendition, scratch }: { videoId: string; rendition: string; scratch: string }): Promise<CmafRendition> {
  const playlist = await mediaText(videoId, `hls/${rendition}/index.m3u8`);
  const segments = parseMediaPlaylist(playlist);
  const init = await storedBytes(videoId, `hls/${rendition}/${INIT_SEGMENT}`);
  const first = segments[0];
  if (!first) throw new Error(`${rendition} has no segments`);
  const response = await fetch(first.uri);
  if (response.status !== 200) throw new Error(`${first.uri}: ${response.status}`);
  const segment = new Uint8Array(await response.arrayBuffer());
  await writeFile(scratch, Buffer.concat([init, segment]));
  return { playlist, segments, firstFile: scratch, boxes: { init: boxType(init), segment: boxType(segment) } };
}

/** ffprobe's view of a file: its streams' codecs and the first packet's presentation time of each stream. */
export async function probeStreams(file: string) {
  const { ffprobe } = resolveBinaries({ ffprobePath: process.env.FFPROBE_PATH });
  const stdout = await runFfprobe({
    binary: ffprobe,
    args: ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-show_packets", "-read_intervals", "%+#5", file],
  });
  return JSON.parse(stdout) as {
    format: { format_name: string; start_time?: string };
    streams: { codec_type: string; codec_name: string; width?: number; height?: number; profile?: string }[];
    packets: { stream_index: number; pts_time?: string; size: string }[];
  };
}
