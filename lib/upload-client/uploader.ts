import type { UploadApi, UploadedVideo, VideoMetadata } from "./api";
import { alwaysOnline, type Connectivity, failedOffline, untilOnline } from "./connectivity";
import { UploadError } from "./errors";
import { createPartUrls, type PartUrls } from "./part-urls";
import { DEFAULT_RETRY, isRetryable, retryDelay, sleep, type RetryOptions } from "./retry";
import { createSpeedMeter } from "./speed-meter";
import { partLength } from "@/lib/videos/part-plan";
import { putPart, type PartBody } from "./part-upload";

/** What to upload: a browser File (see `blobSource`) or, in Node, a file read by ranges. */
export type UploadSource = {
  size: number;
  name: string;
  type: string;
  /** Bytes [start, end) only: sources must not load the whole file. */
  slice(range: { start: number; end: number }): Promise<PartBody>;
};

export type UploadProgress = {
  /** Bytes storage holds, parts stored by earlier sessions included. */
  bytesDone: number;
  /** Bytes this session has sent (of parts storage confirmed). */
  bytesUploaded: number;
  /** Bytes of the parts in flight that have gone out so far (browsers report them; they count once a part is stored). */
  bytesSending: number;
  totalBytes: number;
  partsDone: number;
  partCount: number;
  /** This session's speed over the last ~20 s. */
  bytesPerSecond: number;
  secondsLeft: number | null;
};

export type UploadStarted = { videoId: string; partSize: number; partCount: number; partsStored: number; resumed: boolean };

export type CreateUploadOptions = {
  api: UploadApi;
  source: UploadSource;
  concurrency?: number;
  /** Stops the upload and leaves it resumable (nothing is aborted on the server). */
  signal?: AbortSignal;
  retry?: RetryOptions;
  /** How long one part may take before it counts as stalled and is retried (default: 2 min, or longer for big parts). */
  stallTimeoutMs?: number;
  /** Once the server knows the upload, awaited before any part is sent: the moment to remember `videoId` for resuming. */
  onStart?: (started: UploadStarted) => void | Promise<void>;
  onProgress?: (progress: UploadProgress) => void;
  /**
   * Whether the device is online (browsers: `browserConnectivity()`). While offline the upload waits, spending no
   * retries, and goes on by itself once the connection is back. Give the API the same source.
   */
  connectivity?: Connectivity;
  /** The upload stopped to wait for the connection (`false`) or went on (`true`). */
  onConnectionChange?: (online: boolean) => void;
} & (
  | { init: { courseId: string; lessonId?: string; metadata: VideoMetadata }; resume?: never; replace?: never }
  | { resume: { videoId: string }; init?: never; replace?: never }
  /** A new source for an existing video (resumed like any upload of that video id). */
  | { replace: { videoId: string }; init?: never; resume?: never }
);

export type UploadHandle = {
  /** The completed video; rejects with an UploadError (`aborted` after `signal`, `cancelled` after `cancel()`). */
  readonly done: Promise<UploadedVideo>;
  readonly videoId: string | undefined;
  /** Stops the parts in flight; `resume()` sends them again. */
  pause(): void;
  resume(): void;
  /** Stops the upload and aborts it on the server. */
  cancel(): Promise<void>;
};

/** Storage refusing a fresh URL as expired this often means a clock problem, not bad luck. */
const MAX_RENEWALS = 3;
const PAUSED = Symbol("paused");
/** In-part progress is reported at most this often. */
const PROGRESS_INTERVAL_MS = 100;
/** The server hears of finished parts in steps of about 5%. */
const reportEvery = (partCount: number) => Math.max(1, Math.ceil(partCount / 20));

export function blobSource(file: File): UploadSource {
  return {
    size: file.size,
    name: file.name,
    type: file.type,
    slice: async ({ start, end }) => file.slice(start, end),
  };
}

export { partLength };

type Plan = { videoId: string; partSize: number; partCount: number; stored: Map<number, string>; urls: PartUrls };

export function createUpload(options: CreateUploadOptions): UploadHandle {
  const { api, source, signal: outer, retry = {}, stallTimeoutMs, onStart, onProgress, connectivity = alwaysOnline, onConnectionChange } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const wait = retry.sleep ?? sleep;
  const queue: number[] = [];
  const etags = new Map<number, string>();
  /** Bytes sent so far of each part in flight. */
  const sending = new Map<number, number>();
  let lastReport = 0;
  let trailingReport: ReturnType<typeof setTimeout> | undefined;
  const speed = createSpeedMeter();
  let videoId: string | undefined;
  let bytesDone = 0;
  let bytesUploaded = 0;
  let cancelled = false;
  let cancelling: Promise<void> | undefined;
  let finished = false;
  let run = new AbortController();
  // Parts wait behind the gate while the user paused or the device is offline.
  let gate: { promise: Promise<void>; open: () => void; stop: (reason: unknown) => void } | undefined;
  let userPaused = false;
  let offline = false;

  function updateGate() {
    const closed = userPaused || offline;
    if (closed && !gate && !finished) {
      let open = () => {};
      let stopWaiting: (reason: unknown) => void = () => {};
      const promise = new Promise<void>((resolve, reject) => {
        open = resolve;
        stopWaiting = reject;
      });
      // Nobody may be waiting yet when a cancel rejects it.
      promise.catch(() => {});
      gate = { promise, open, stop: stopWaiting };
      run.abort(PAUSED);
    } else if (!closed && gate) {
      const { open } = gate;
      gate = undefined;
      run = new AbortController();
      open();
    }
  }

  function setOnline(online: boolean) {
    if (finished || offline === !online) return;
    offline = !online;
    onConnectionChange?.(online);
    updateGate();
  }
  const unsubscribe = connectivity.subscribe(setOnline);

  function stop(reason: unknown) {
    run.abort(reason);
    gate?.stop(reason);
  }
  const onOuterAbort = () => stop(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });

  async function open(): Promise<Plan> {
    if (options.init || options.replace) {
      const file = { filename: source.name, fileSize: source.size, contentType: source.type };
      let session;
      if (options.init) {
        const { courseId, lessonId, metadata } = options.init;
        session = await api.init({ body: { courseId, ...(lessonId ? { lessonId } : {}), ...file, metadata }, signal: outer });
      } else {
        session = await api.replace({ videoId: options.replace.videoId, body: file, signal: outer });
      }
      const urls = createPartUrls({ api, videoId: session.videoId, upcoming: () => queue, reportEvery: reportEvery(session.partCount) });
      urls.add(session);
      return { videoId: session.videoId, partSize: session.partSize, partCount: session.partCount, stored: new Map(), urls };
    }
    const { videoId } = options.resume;
    const { partSize, partCount, parts } = await api.listParts({ videoId, signal: outer });
    if (Math.ceil(source.size / partSize) !== partCount) {
      throw new UploadError("source_mismatch", `This file is not the one upload ${videoId} was started with (its size differs).`, { details: { videoId } });
    }
    // A part of the wrong size (say, cut short) is sent again.
    const stored = new Map(
      parts.filter((part) => part.partNumber <= partCount && part.size === partLength({ ...part, partSize, partCount, fileSize: source.size })).map((part) => [part.partNumber, part.etag]),
    );
    return { videoId, partSize, partCount, stored, urls: createPartUrls({ api, videoId, upcoming: () => queue, reportEvery: reportEvery(partCount) }) };
  }

  async function uploadPart({ plan, partNumber, signal }: { plan: Plan; partNumber: number; signal: AbortSignal }): Promise<string> {
    const start = (partNumber - 1) * plan.partSize;
    const body = await source.slice({ start, end: start + partLength({ partNumber, ...plan, fileSize: source.size }) });
    let renew = false;
    for (let attempt = 1, renewals = 0; ; ) {
      const { url, expiresAt } = await plan.urls.get({ partNumber, renew, signal });
      const onBytes = (sent: number) => {
        sending.set(partNumber, sent);
        reportSoon(plan);
      };
      try {
        return await putPart({ url, expiresAt, partNumber, body, signal, stallTimeoutMs, onProgress: onBytes });
      } catch (error) {
        sending.delete(partNumber);
        if (signal.aborted) throw error;
        renew = error instanceof UploadError && error.code === "url_expired" && renewals++ < MAX_RENEWALS;
        if (renew) continue;
        // The connection went: not storage's fault, so no attempt is spent. The gate closes when the event comes.
        if (failedOffline({ error, connectivity })) {
          setOnline(false);
          await untilOnline({ connectivity, signal });
          continue;
        }
        if (!isRetryable(error) || attempt >= (retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts)) throw error;
        await wait(retryDelay({ attempt: attempt++, error, retry }), signal);
      }
    }
  }

  /** In-part progress, at most every PROGRESS_INTERVAL_MS; the latest state is always reported in the end. */
  function reportSoon(plan: Plan) {
    if (trailingReport !== undefined) return;
    const wait = Math.ceil(lastReport + PROGRESS_INTERVAL_MS - performance.now());
    if (wait <= 0) return report(plan);
    trailingReport = setTimeout(() => {
      trailingReport = undefined;
      if (!finished) report(plan);
    }, wait);
  }

  function report(plan: Plan) {
    clearTimeout(trailingReport);
    trailingReport = undefined;
    lastReport = performance.now();
    let bytesSending = 0;
    for (const sent of sending.values()) bytesSending += sent;
    const bytesPerSecond = speed.sample(bytesUploaded + bytesSending);
    onProgress?.({
      bytesDone,
      bytesUploaded,
      bytesSending,
      totalBytes: source.size,
      partsDone: etags.size,
      partCount: plan.partCount,
      bytesPerSecond,
      secondsLeft: bytesPerSecond > 0 ? Math.max(0, source.size - bytesDone - bytesSending) / bytesPerSecond : null,
    });
  }

  async function worker({ plan, controller }: { plan: Plan; controller: AbortController }) {
    for (let partNumber = queue.shift(); partNumber !== undefined; partNumber = queue.shift()) {
      try {
        const etag = await uploadPart({ plan, partNumber, signal: controller.signal });
        const length = partLength({ partNumber, ...plan, fileSize: source.size });
        sending.delete(partNumber);
        etags.set(partNumber, etag);
        bytesDone += length;
        bytesUploaded += length;
        plan.urls.report({ part: { partNumber, etag }, signal: controller.signal });
        report(plan);
      } catch (error) {
        sending.delete(partNumber);
        if (!etags.has(partNumber)) queue.push(partNumber);
        // The first failure stops the other workers; its error is the abort reason.
        controller.abort(error);
        throw error;
      }
    }
  }

  async function uploadParts(plan: Plan) {
    while (queue.length > 0) {
      while (gate) await gate.promise;
      queue.sort((a, b) => a - b);
      const controller = run;
      speed.restart(bytesUploaded);
      report(plan);
      await Promise.allSettled(Array.from({ length: Math.min(concurrency, queue.length) }, () => worker({ plan, controller })));
      if (controller.signal.aborted && controller.signal.reason !== PAUSED) throw controller.signal.reason;
    }
  }

  async function upload(): Promise<UploadedVideo> {
    if (!connectivity.online()) setOnline(false);
    const plan = await open();
    videoId = plan.videoId;
    if (cancelled) throw new UploadError("cancelled", "The upload was cancelled.");
    for (const [partNumber, etag] of plan.stored) {
      etags.set(partNumber, etag);
      bytesDone += partLength({ partNumber, ...plan, fileSize: source.size });
    }
    for (let partNumber = 1; partNumber <= plan.partCount; partNumber++) if (!etags.has(partNumber)) queue.push(partNumber);
    await onStart?.({ videoId, partSize: plan.partSize, partCount: plan.partCount, partsStored: plan.stored.size, resumed: Boolean(options.resume) });
    report(plan);

    await uploadParts(plan);
    const parts = [...etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
    return api.complete({ videoId: plan.videoId, parts, signal: outer });
  }

  const done = upload()
    .catch((error: unknown) => {
      if (cancelled) throw new UploadError("cancelled", "The upload was cancelled.", { cause: error });
      if (outer?.aborted) throw new UploadError("aborted", "The upload was stopped; it can be resumed.", { cause: outer.reason });
      throw error;
    })
    .finally(() => {
      finished = true;
      clearTimeout(trailingReport);
      gate = undefined;
      unsubscribe();
      outer?.removeEventListener("abort", onOuterAbort);
    });

  return {
    done,
    get videoId() {
      return videoId;
    },
    pause() {
      userPaused = true;
      updateGate();
    },
    resume() {
      userPaused = false;
      updateGate();
    },
    cancel() {
      cancelling ??= (async () => {
        cancelled = true;
        stop(new UploadError("cancelled", "The upload was cancelled."));
        const completed = await done.then(
          () => true,
          () => false,
        );
        if (!completed && videoId) await api.abort({ videoId });
      })();
      return cancelling;
    },
  };
}
