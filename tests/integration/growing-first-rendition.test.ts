import { mkdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { parseMediaPlaylist } from "@/lib/processing/playlists";
import { getMedia } from "@/lib/videos/media";
import { type AppError } from "@/lib/errors";
import { fetchCmafRendition, probeStreams } from "../helpers/cmaf";
import { testDatabase } from "../helpers/db";
import { instructor, mediaText, uploadFile, waitForProcessing, waitUntilProcessed } from "../helpers/processing-flow";
import { makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-growing-test-${process.pid}`);
const work = { PROCESSING_TEMP_DIR: path.join(fixtures, "work") };
const admin = storeAdmin(inject("storage").adminEndpoint);

let worker: WorkerProcess | undefined;

beforeAll(async () => {
  await mkdir(work.PROCESSING_TEMP_DIR, { recursive: true });
});

afterAll(async () => {
  await worker?.stop();
  await close();
  await rm(fixtures, { recursive: true, force: true });
});

describe("a source served as it is, read from storage and published while it is remuxed", () => {
  it(
    "is playable on its first segments while the rest is still being read, its playlist grows to the whole video, then the ladder joins",
    { timeout: 180_000 },
    async () => {
      worker = spawnWorker(work);
      const source = await makeVideoFixture({ path: path.join(fixtures, "lecture.mp4"), seconds: 60, width: 854, height: 480 });
      const { size } = await stat(source);
      // Storage sends this source at a fifteenth of its size a second, as a distant store would: reading it takes ~15 s,
      // so the test reads the growing playlist long before the remux ends, however slow the machine.
      // (The rule matches this source's key only, so it is left to lapse: clearing faults would clear other files' too.)
      const videoId = await uploadFile(source, "Published while remuxed", "video/mp4", {
        beforeComplete: async ({ storageKey }) => {
          await admin.addFault({ kind: "throttle", bytesPerSecond: Math.max(1024, Math.round(size / 15)), operation: "GetObject", keyPrefix: storageKey, count: 100 });
        },
      });
      {
        const playable = await waitForProcessing(sql, videoId, (row) => row.status !== "processing" && row.status !== "uploaded", 120_000);
        expect(playable, worker.output()).toMatchObject({ status: "playable" });

        // Playable on what is written so far: an EVENT playlist without ENDLIST, never cached, whose segments play.
        const growing = await getMedia({ actor: instructor, videoId, path: "hls/480p/index.m3u8" });
        if (growing.kind !== "text") throw new Error("expected the playlist");
        expect(growing.body).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
        expect(growing.body).not.toContain("#EXT-X-ENDLIST");
        expect(growing.maxAgeSeconds).toBe(0);
        const early = parseMediaPlaylist(growing.body);
        expect(early.length).toBeGreaterThanOrEqual(3);
        const played = early.reduce((sum, segment) => sum + segment.duration, 0);
        expect(played).toBeLessThan(50);
        for (const segment of early) expect((await fetch(segment.uri)).status).toBe(200);
        const first = await fetchCmafRendition({ videoId, rendition: "480p", scratch: path.join(fixtures, "480p-first.mp4") });
        expect(first.boxes).toEqual({ init: "ftyp", segment: "styp" });
        expect((await probeStreams(first.firstFile)).streams.map((stream) => [stream.codec_type, stream.codec_name, stream.width])).toEqual([["video", "h264", 854]]);
        const audio = await mediaText(videoId, "hls/audio/index.m3u8");
        expect(audio).not.toContain("#EXT-X-ENDLIST");
        // The DASH manifest waits for whole renditions (a static MPD states its duration).
        await expect(getMedia({ actor: instructor, videoId, path: "dash/manifest.mpd" })).rejects.toMatchObject({ status: 409, code: "conflict" } satisfies Partial<AppError>);

        const ready = await waitUntilProcessed(sql, videoId, 150_000);
        expect(ready, worker.output()).toMatchObject({ status: "ready", processing_error: null });
        // The same rendition, whole: a VOD playlist whose first segments are the ones played early.
        const whole = await mediaText(videoId, "hls/480p/index.m3u8");
        expect(whole).toContain("#EXT-X-PLAYLIST-TYPE:VOD");
        expect(whole).toContain("#EXT-X-ENDLIST");
        const segments = parseMediaPlaylist(whole);
        const strip = (uri: string) => new URL(uri).pathname;
        expect(segments.slice(0, early.length).map((segment) => strip(segment.uri))).toEqual(early.map((segment) => strip(segment.uri)));
        expect(segments.reduce((sum, segment) => sum + segment.duration, 0)).toBeCloseTo(60, 0);
        for (const segment of segments) expect((await fetch(segment.uri)).status).toBe(200);
        expect(await mediaText(videoId, "hls/audio/index.m3u8")).toContain("#EXT-X-ENDLIST");
        const master = await mediaText(videoId, "hls/master.m3u8");
        expect(master.split("\n").filter((line) => line.startsWith("#EXT-X-STREAM-INF:")).map((line) => /RESOLUTION=(\d+x\d+)/.exec(line)?.[1])).toEqual(["854x480", "640x360"]);
        const dash = await getMedia({ actor: instructor, videoId, path: "dash/manifest.mpd" });
        expect(dash.kind).toBe("text");
      }
    },
  );
});
