import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { forEachLimit } from "@/lib/for-each-limit";
import { INIT_SEGMENT } from "@/lib/videos/media-paths";
import { ENDLIST, type MediaSegment, parseMediaPlaylist } from "./playlists";

/** Where a growing rendition's files go as ffmpeg finishes them (the run's revision in storage). */
export type GrowingStore = {
  /** Stores one finished file, a path relative to the output directory `root`. */
  storeFile(root: string, file: string): Promise<void>;
  /** Stores a media playlist as it stands (its file on disk may already list more). */
  storeText(file: string, text: string): Promise<void>;
};

/** One rendition directory's media playlist as ffmpeg had written it when read. */
export type ListedRendition = { dir: string; playlist: string; text: string; segments: MediaSegment[] };

export type GrowingOutcome =
  | { kind: "published" }
  /** `ready` found what was written not fit to publish: ffmpeg was stopped, nothing was stored. */
  | { kind: "refused"; reason: string }
  /** ffmpeg failed before anything was published: nothing was stored. */
  | { kind: "failed"; error: unknown };

const SEGMENT_URI = /^segment_\d{4,}\.m4s$/;
const STORE_LANES = 6;

/**
 * Publishes renditions while ffmpeg writes them (progressive publishing of a long source): polls their media
 * playlists (EVENT playlists, each rewritten whole after every segment), and once every one lists `minSegments`
 * segments (or ffmpeg has finished) asks `ready` whether what is there may be published. If so it stores the init
 * segments, the segments listed and then the playlists listing exactly those, and calls `publish`; from then on it
 * stores each new segment as it appears and the playlists at most every `refreshMs`, so players reloading them
 * (EVENT playlists are reloaded) see the rendition grow. The last playlists, when ffmpeg is done, are VOD ones
 * (ENDLIST), on disk too. If ffmpeg fails after publishing, what was stored is closed with ENDLIST (players do not
 * wait for more) and the error is thrown: what plays is never taken away.
 */
export async function publishWhileWriting({
  outDir,
  dirs,
  ffmpeg,
  stopFfmpeg,
  store,
  minSegments,
  ready,
  publish,
  pollMs = 200,
  refreshMs = 2000,
}: {
  outDir: string;
  /** The rendition directories ffmpeg writes (`hls/1080p`, `hls/audio`), each with `index.m3u8`. */
  dirs: string[];
  /** The running ffmpeg. */
  ffmpeg: Promise<void>;
  stopFfmpeg: () => void;
  store: GrowingStore;
  minSegments: number;
  /** Why what is listed may not be published (ffmpeg is then stopped), or null. */
  ready: (listed: ListedRendition[], finished: boolean) => string | null;
  publish: (listed: ListedRendition[]) => Promise<void>;
  pollMs?: number;
  refreshMs?: number;
}): Promise<GrowingOutcome> {
  let finished = false;
  let failure: { error: unknown } | undefined;
  const settled = ffmpeg.then(
    () => {
      finished = true;
    },
    (error: unknown) => {
      finished = true;
      failure = { error };
    },
  );
  const stored = new Set<string>();
  const storeListed = async (listed: ListedRendition[]) => {
    const files = listed.flatMap(({ dir, segments }) => [`${dir}/${INIT_SEGMENT}`, ...segments.map((segment) => `${dir}/${segment.uri}`)]).filter((file) => !stored.has(file));
    await forEachLimit(files, STORE_LANES, async (file) => {
      await store.storeFile(outDir, file);
      stored.add(file);
    });
  };
  const storePlaylists = async (listed: ListedRendition[], text: (rendition: ListedRendition) => string) => {
    await Promise.all(listed.map((rendition) => store.storeText(rendition.playlist, text(rendition))));
  };

  let published = false;
  let lastRefresh = 0;
  for (;;) {
    // Read whether ffmpeg had finished before reading the playlists: the last round then sees its last playlists.
    const done = finished;
    const listed = await listRenditions(outDir, dirs);
    if (!published) {
      if (done && failure) return { kind: "failed", error: failure.error };
      if (listed && (done || listed.every((rendition) => rendition.segments.length >= minSegments))) {
        const refusal = ready(listed, done);
        if (refusal !== null) {
          stopFfmpeg();
          await settled;
          return { kind: "refused", reason: refusal };
        }
        await storeListed(listed);
        await storePlaylists(listed, (rendition) => rendition.text);
        await publish(listed);
        published = true;
        lastRefresh = Date.now();
      }
    } else if (listed) {
      await storeListed(listed);
      if (done && failure) {
        await storePlaylists(listed, (rendition) => closed(rendition.text));
        throw failure.error;
      }
      if (done || Date.now() - lastRefresh >= refreshMs) {
        await storePlaylists(listed, (rendition) => rendition.text);
        lastRefresh = Date.now();
      }
    }
    if (done) {
      if (!published) return { kind: "failed", error: new Error("ffmpeg finished without a playlist") };
      return { kind: "published" };
    }
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, pollMs))]);
  }
}

/**
 * The playlists as they stand, or undefined while one is missing or is caught mid-write (a URI that is not a
 * whole segment name, no final newline). A finished VOD playlist (ENDLIST) is rewritten as a VOD one on disk.
 */
async function listRenditions(outDir: string, dirs: string[]): Promise<ListedRendition[] | undefined> {
  const listed: ListedRendition[] = [];
  for (const dir of dirs) {
    const playlist = `${dir}/index.m3u8`;
    let text: string;
    try {
      text = await readFile(path.join(outDir, playlist), "utf8");
    } catch {
      return undefined;
    }
    if (!text.endsWith("\n")) return undefined;
    const segments = parseMediaPlaylist(text);
    if (!segments.every((segment) => SEGMENT_URI.test(segment.uri))) return undefined;
    if (text.includes(ENDLIST) && text.includes("#EXT-X-PLAYLIST-TYPE:EVENT")) {
      text = text.replace("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-PLAYLIST-TYPE:VOD");
      await writeFile(path.join(outDir, playlist), text);
    }
    listed.push({ dir, playlist, text, segments });
  }
  return listed;
}

/** A growing playlist closed where it stands: VOD, ENDLIST. */
function closed(text: string): string {
  if (text.includes(ENDLIST)) return text;
  return `${text.replace("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-PLAYLIST-TYPE:VOD")}${ENDLIST}\n`;
}
