import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The app's env is read once, at import: this process (which asks for "Generate captions") and the worker it spawns
// both point at the test's transcription server, on a port fixed before anything is imported.
const { serverPort } = vi.hoisted(() => {
  const port = 20_000 + (process.pid % 20_000);
  process.env.TRANSCRIPTION_URL = `http://127.0.0.1:${port}`;
  process.env.TRANSCRIPTION_API_KEY = "test-transcription-key";
  return { serverPort: port };
});

import { selectCaptionTrack } from "@/db/queries/caption-tracks";
import { putCaptionTrack, authorizeCaptionWrite } from "@/lib/captions/captions";
import { requestTranscription } from "@/lib/captions/machine-captions";
import { AppError } from "@/lib/errors";
import { testDatabase } from "../helpers/db";
import { instructor, uploadFile, waitUntilProcessed } from "../helpers/processing-flow";
import { SAMPLE_WEBVTT, startTranscriptionServer } from "@/dev/transcription-server";
import { makeVideoFixture } from "../helpers/video-fixtures";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";
import { oneWorkerFileAtATime } from "../helpers/worker-lock";

const { sql, close } = testDatabase();
oneWorkerFileAtATime();
const fixtures = path.join(os.tmpdir(), `lectern-machine-captions-test-${process.pid}`);
const work = { PROCESSING_TEMP_DIR: path.join(fixtures, "work") };

type TranscriptionRow = { status: string; transcription_status: string | null; transcription_error: string | null };
const transcriptionRow = async (videoId: string) => {
  const [row] = await sql<TranscriptionRow[]>`select status, transcription_status, transcription_error from videos where id = ${videoId}`;
  if (!row) throw new Error(`no video ${videoId}`);
  return row;
};
async function waitForTranscription(videoId: string, done: (row: TranscriptionRow) => boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await transcriptionRow(videoId);
    if (done(row)) return row;
    if (Date.now() > deadline) throw new Error(`video ${videoId} still ${JSON.stringify(row)}\n${worker?.output() ?? ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const settled = (row: TranscriptionRow) => row.transcription_status === "done" || row.transcription_status === "failed";
const setLanguage = (videoId: string, language: string) => sql`update videos set metadata = metadata || jsonb_build_object('language', ${language}::text) where id = ${videoId}`;

let server: Awaited<ReturnType<typeof startTranscriptionServer>>;
let worker: WorkerProcess | undefined;
let clip = "";

beforeAll(async () => {
  await import("node:fs/promises").then((fs) => fs.mkdir(work.PROCESSING_TEMP_DIR, { recursive: true }));
  server = await startTranscriptionServer({ port: serverPort });
  clip = await makeVideoFixture({ path: path.join(fixtures, "lesson.mp4"), seconds: 8, width: 640, height: 360 });
  worker = spawnWorker({ ...work, TRANSCRIPTION_URL: server.url, TRANSCRIPTION_MODEL: "whisper-test" });
});

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await close();
  await import("node:fs/promises").then((fs) => fs.rm(fixtures, { recursive: true, force: true }));
});

describe("machine captions", () => {
  it("transcribes a video once it is ready: 16 kHz mono audio in, a machine track out, not reviewed", { timeout: 120_000 }, async () => {
    const before = server.received.length;
    const videoId = await uploadFile(clip, "Vectors");
    await setLanguage(videoId, "en");
    expect((await waitUntilProcessed(sql, videoId)).status).toBe("ready");
    const row = await waitForTranscription(videoId, settled);
    expect(row, worker?.output()).toMatchObject({ status: "ready", transcription_status: "done", transcription_error: null });

    const got = server.received[before];
    expect(got).toMatchObject({ model: "whisper-test", responseFormat: "vtt", language: "en", authorization: "Bearer test-transcription-key" });
    expect(got?.audio).toMatchObject({ codec: "pcm_s16le", sampleRate: 16_000, channels: 1 });
    expect(Math.abs((got?.audio?.durationSeconds ?? 0) - 8)).toBeLessThan(0.5);

    const track = await selectCaptionTrack({ videoId, language: "en" });
    expect(track).toMatchObject({ origin: "machine", reviewed: false, cueCount: 2, kind: "captions", label: "English" });
    expect(track?.content).toContain("A vector has a size and a direction.");

    // A new run replaces a machine track (the server now hears something else).
    server.answerNext({ vtt: SAMPLE_WEBVTT.replace("A vector has a size and a direction.", "Vectors add tip to tail.") });
    const queued = await requestTranscription({ actor: instructor, videoId });
    expect(queued.transcription?.status).toBe("queued");
    await expect(requestTranscription({ actor: instructor, videoId })).rejects.toMatchObject({ status: 409, code: "conflict" });
    await waitForTranscription(videoId, (current) => current.transcription_status === "done");
    const replaced = await selectCaptionTrack({ videoId, language: "en" });
    expect(replaced).toMatchObject({ origin: "machine", reviewed: false, version: 2 });
    expect(replaced?.content).toContain("Vectors add tip to tail.");

    // A person's track is never replaced: generating is refused with the reason, and the track stays as it was.
    const target = await authorizeCaptionWrite({ actor: instructor, videoId, language: "en" });
    await putCaptionTrack({ target, upload: { format: "vtt", content: "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nTyped by a person.\n", options: {} } });
    const refusal = await requestTranscription({ actor: instructor, videoId }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ status: 409, code: "conflict" });
    expect((refusal as AppError).message).toMatch(/uploaded by a person; machine captions never replace them/);
    expect(await selectCaptionTrack({ videoId, language: "en" })).toMatchObject({ origin: "uploaded", reviewed: true, content: expect.stringContaining("Typed by a person.") });
  });

  it("transcribes a playable video on request: its source's sound is final while the ladder still encodes", { timeout: 120_000 }, async () => {
    const videoId = await uploadFile(clip, "Playable lecture");
    await setLanguage(videoId, "en");
    expect((await waitUntilProcessed(sql, videoId)).status).toBe("ready");
    await waitForTranscription(videoId, settled);
    // As the worker leaves it once a first rendition is out, the rest of the ladder encoding (no job queued: it stays so).
    await sql`update videos set status = 'playable', processing_stage = 'transcoding', processing_progress_percent = 40 where id = ${videoId}`;
    server.answerNext({ vtt: SAMPLE_WEBVTT.replace("A vector has a size and a direction.", "Heard while the quality improves.") });
    const queued = await requestTranscription({ actor: instructor, videoId });
    expect(queued).toMatchObject({ status: "playable", transcription: { status: "queued" } });
    const row = await waitForTranscription(videoId, settled);
    expect(row, worker?.output()).toMatchObject({ status: "playable", transcription_status: "done", transcription_error: null });
    expect(await selectCaptionTrack({ videoId, language: "en" })).toMatchObject({ origin: "machine", version: 2, content: expect.stringContaining("Heard while the quality improves.") });
  });

  it("leaves an uploaded track alone when the video becomes ready", { timeout: 120_000 }, async () => {
    const before = server.received.length;
    const videoId = await uploadFile(clip, "Already captioned");
    await setLanguage(videoId, "en");
    const target = await authorizeCaptionWrite({ actor: instructor, videoId, language: "en" });
    await putCaptionTrack({ target, upload: { format: "vtt", content: "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nThe instructor's own captions.\n", options: {} } });
    expect((await waitUntilProcessed(sql, videoId)).status).toBe("ready");
    // Give a (wrongly) queued run time to reach the server before looking.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await transcriptionRow(videoId)).toMatchObject({ status: "ready", transcription_status: null });
    expect(server.received.length).toBe(before);
    expect(await selectCaptionTrack({ videoId, language: "en" })).toMatchObject({ origin: "uploaded", content: expect.stringContaining("The instructor's own captions.") });
  });

  it("retries a failing server, then fails with the reason while the video stays ready; garbage is refused", { timeout: 150_000 }, async () => {
    const before = server.received.length;
    const overloaded = { status: 503, body: JSON.stringify({ error: { message: "model is loading" } }) };
    server.answerNext(overloaded, overloaded, overloaded);
    const videoId = await uploadFile(clip, "Unlucky");
    expect((await waitUntilProcessed(sql, videoId)).status).toBe("ready");
    const failed = await waitForTranscription(videoId, (current) => current.transcription_status === "failed");
    expect(failed).toMatchObject({ status: "ready", transcription_status: "failed" });
    expect(failed.transcription_error).toMatch(/^The transcription server answered 503: .*model is loading/);
    // Three attempts in all (PROCESSING_RETRY_LIMIT 2), without a language (the video states none).
    expect(server.received.length - before).toBe(3);
    expect(server.received.at(-1)?.language).toBeNull();
    expect(await selectCaptionTrack({ videoId, language: "und" })).toBeUndefined();

    // Staff try again: an answer that is not WebVTT fails at once (no retries) with what is wrong.
    server.answerNext({ vtt: "this is not a caption file" });
    await requestTranscription({ actor: instructor, videoId });
    const garbage = await waitForTranscription(videoId, (current) => current.transcription_status === "failed");
    expect(garbage.transcription_error).toMatch(/^The transcription server's answer is not valid WebVTT/);
    expect(server.received.length - before).toBe(4);
    expect((await transcriptionRow(videoId)).status).toBe("ready");

    // And a good answer stores the track under "und" (no language stated).
    await requestTranscription({ actor: instructor, videoId });
    await waitForTranscription(videoId, (current) => current.transcription_status === "done");
    expect(await selectCaptionTrack({ videoId, language: "und" })).toMatchObject({ origin: "machine", reviewed: false });
  });
});
