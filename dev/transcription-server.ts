import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { resolveBinaries, runFfprobe } from "@/lib/processing/ffmpeg";

/** What one POST /v1/audio/transcriptions carried, as the server checked it. */
export type ReceivedTranscription = {
  model: string | null;
  responseFormat: string | null;
  language: string | null;
  authorization: string | null;
  fileName: string | null;
  audio: { codec: string; sampleRate: number; channels: number; durationSeconds: number } | null;
};

/** The next answer: WebVTT (the default), or an error status, or a body that is not WebVTT. */
export type TranscriptionAnswer = { status: number; body: string } | { vtt: string };

export const SAMPLE_WEBVTT = "WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nWelcome to the lesson on vectors.\n\n00:00:03.500 --> 00:00:06.000\nA vector has a size and a direction.\n";

/**
 * A transcription server speaking OpenAI's API (whisper.cpp's and faster-whisper's servers speak the same): it parses
 * the multipart upload, ffprobes the audio it received, records what it got, and answers WebVTT, or whatever was
 * queued with `answerNext` (errors, to test retries and failure reasons), else what `answerFor` says.
 */
export async function startTranscriptionServer({
  ffprobe = resolveBinaries({}).ffprobe,
  port = 0,
  answerFor = () => ({ vtt: SAMPLE_WEBVTT }),
}: {
  ffprobe?: string;
  port?: number;
  /** The answer when none is queued (default: SAMPLE_WEBVTT). */
  answerFor?: (got: ReceivedTranscription) => TranscriptionAnswer;
} = {}) {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "lectern-transcription-server-"));
  const received: ReceivedTranscription[] = [];
  const answers: TranscriptionAnswer[] = [];
  let count = 0;

  const read = async (request: IncomingMessage): Promise<ReceivedTranscription> => {
    const form = await new Request("http://transcription.test/", {
      method: "POST",
      headers: { "content-type": request.headers["content-type"] ?? "" },
      body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit).formData();
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : null;
    };
    const file = form.get("file");
    let audio: ReceivedTranscription["audio"] = null;
    if (file instanceof File) {
      const saved = path.join(scratch, `upload-${++count}`);
      await writeFile(saved, new Uint8Array(await file.arrayBuffer()));
      const probe = JSON.parse(await runFfprobe({ binary: ffprobe, args: ["-v", "error", "-show_streams", "-show_format", "-of", "json", saved] })) as {
        streams?: { codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number }[];
        format?: { duration?: string };
      };
      const stream = probe.streams?.find((candidate) => candidate.codec_type === "audio");
      if (stream) {
        audio = { codec: stream.codec_name ?? "", sampleRate: Number(stream.sample_rate), channels: stream.channels ?? 0, durationSeconds: Number(probe.format?.duration) };
      }
      await rm(saved, { force: true });
    }
    return {
      model: field("model"),
      responseFormat: field("response_format"),
      language: field("language"),
      authorization: request.headers.authorization ?? null,
      fileName: file instanceof File ? file.name : null,
      audio,
    };
  };

  const server = createServer((request, response) => {
    if (request.method !== "POST" || request.url !== "/v1/audio/transcriptions") {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Not found" } }));
      return;
    }
    read(request)
      .then((got) => {
        received.push(got);
        if (!got.audio || got.responseFormat !== "vtt" || !got.model) {
          response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "file (audio), model and response_format=vtt are required" } }));
          return;
        }
        const answer = answers.shift() ?? answerFor(got);
        if ("vtt" in answer) response.writeHead(200, { "content-type": "text/vtt; charset=utf-8" }).end(answer.vtt);
        else response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    /** Queues answers for the next requests, in order (then WebVTT again). */
    answerNext(...next: TranscriptionAnswer[]) {
      answers.push(...next);
    },
    async waitForRequests(n: number, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`the transcription server got ${received.length} of ${n} requests`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** The e2e stack's answers: French captions for `language=fr`, and a refusal for anything else (no track appears). */
export const E2E_FRENCH_WEBVTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nBonjour à toutes et à tous.\n\n00:00:04.000 --> 00:00:06.000\nAujourd'hui : les vecteurs.\n";
export const e2eAnswer = (got: ReceivedTranscription): TranscriptionAnswer =>
  got.language === "fr"
    ? { vtt: E2E_FRENCH_WEBVTT }
    : { status: 422, body: JSON.stringify({ error: { message: "The e2e transcription server transcribes French only (language=fr)." } }) };
