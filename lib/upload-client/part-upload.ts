import { UploadError } from "./errors";
import { parseRetryAfter } from "./retry";

export type PartBody = Blob | Uint8Array<ArrayBuffer>;

const STALL_MIN_MS = 120_000;
const STALL_FLOOR_BYTES_PER_SECOND = 20_000;

/** Whole milliseconds: Node's `AbortSignal.timeout` throws on a fraction (8 MiB at 20 kB/s is 419430.4 ms). */
export function stallTimeout({ size, stallTimeoutMs }: { size: number; stallTimeoutMs?: number }): number {
  return Math.ceil(stallTimeoutMs ?? Math.max(STALL_MIN_MS, (size / STALL_FLOOR_BYTES_PER_SECOND) * 1000));
}

function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/** What putPart needs of an answer, whether fetch or XMLHttpRequest got it. */
type PutResponse = { ok: boolean; status: number; statusText: string; header(name: string): string | null; text(): Promise<string> };

const STREAM_CHUNK = 64 * 1024;

/** The bytes as a stream that reports how much of it has been read (by the HTTP client, on its way to the socket). */
function countingStream({ bytes, onProgress }: { bytes: Uint8Array<ArrayBuffer>; onProgress: (bytesSent: number) => void }) {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      const chunk = bytes.subarray(offset, offset + STREAM_CHUNK);
      offset += chunk.byteLength;
      controller.enqueue(chunk);
      onProgress(offset);
    },
  });
}

type PutArgs = { url: string; body: PartBody; signal: AbortSignal; onProgress?: (bytesSent: number) => void };

/**
 * Node's fetch (the CLI). With `onProgress`, an in-memory part is streamed with its Content-Length (which the
 * presigned URL pins), so progress is heard while it goes out. A network failure rejects with a plain error (the
 * caller turns it into `network_error`), or the signal's reason.
 */
async function putWithFetch({ url, body, signal, onProgress }: PutArgs): Promise<PutResponse> {
  const streamed: (RequestInit & { duplex: "half" }) | undefined =
    onProgress && body instanceof Uint8Array
      ? {
          method: "PUT",
          body: countingStream({ bytes: body, onProgress }),
          duplex: "half",
          headers: { "content-length": String(body.byteLength) },
          signal,
        }
      : undefined;
  const response = await fetch(url, streamed ?? { method: "PUT", body, signal });
  return {
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    header: (name) => response.headers.get(name),
    text: async () => {
      if (response.ok) {
        await response.body?.cancel();
        return "";
      }
      return response.text().catch(() => "");
    },
  };
}

/** Browsers: XMLHttpRequest, the one API that reports upload progress while the body is being sent. */
function putWithXhr({ url, body, signal, onProgress }: PutArgs): Promise<PutResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = (done: () => void) => {
      signal.removeEventListener("abort", onAbort);
      done();
    };
    xhr.open("PUT", url);
    xhr.responseType = "text";
    if (onProgress) xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () =>
      settle(() =>
        resolve({
          ok: xhr.status >= 200 && xhr.status < 300,
          status: xhr.status,
          statusText: xhr.statusText,
          header: (name) => xhr.getResponseHeader(name),
          text: async () => (xhr.status >= 200 && xhr.status < 300 ? "" : xhr.responseText),
        }),
      );
    xhr.onerror = () => settle(() => reject(new Error("XMLHttpRequest failed")));
    xhr.onabort = () => settle(() => reject(signal.aborted ? signal.reason : new Error("XMLHttpRequest aborted")));
    signal.addEventListener("abort", onAbort, { once: true });
    xhr.send(body);
  });
}

/**
 * PUTs one part to its presigned URL and returns the part's ETag as storage
 * sent it (quotes included). Errors: `url_expired` (sign again, not a
 * failure), `network_error` (status 0) and `storage_error` with the status.
 * `onProgress` hears the bytes sent so far while the part goes out (browsers: XHR upload events; Node: as the
 * body is read).
 */
export async function putPart({
  url,
  expiresAt,
  partNumber,
  body,
  signal,
  stallTimeoutMs,
  onProgress,
}: {
  url: string;
  expiresAt: number;
  partNumber: number;
  body: PartBody;
  signal: AbortSignal;
  stallTimeoutMs?: number;
  onProgress?: (bytesSent: number) => void;
}): Promise<string> {
  // A dead connection never fails on its own: give up on a part that has not gone through in this time, then retry it.
  const size = body instanceof Blob ? body.size : body.byteLength;
  const stalled = AbortSignal.timeout(stallTimeout({ size, stallTimeoutMs }));
  const request = { url, body, signal: AbortSignal.any([signal, stalled]), onProgress };
  let response: PutResponse;
  try {
    response = await (typeof XMLHttpRequest === "undefined" ? putWithFetch(request) : putWithXhr(request));
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    const message = stalled.aborted ? `Part ${partNumber} stalled and was stopped.` : `Could not send part ${partNumber} to storage.`;
    throw new UploadError("network_error", message, { status: 0, details: { partNumber }, cause });
  }

  if (response.ok) {
    await response.text();
    const etag = response.header("etag");
    if (etag) return etag;
    // Browsers hide the header unless the bucket's CORS rules expose it.
    throw new UploadError("missing_etag", `Storage accepted part ${partNumber} but sent no ETag header (CORS must expose ETag).`, { status: response.status });
  }

  const xml = await response.text();
  const code = xmlField(xml, "Code");
  if (response.status === 403 && (xml.includes("Request has expired") || (code === "AccessDenied" && expiresAt <= Date.now()))) {
    throw new UploadError("url_expired", `The upload URL for part ${partNumber} has expired.`, { status: 403, details: { partNumber } });
  }
  const reason = [code, xmlField(xml, "Message")].filter(Boolean).join(": ") || response.statusText;
  throw new UploadError("storage_error", `Storage rejected part ${partNumber} with ${response.status}${reason ? ` (${reason})` : ""}.`, {
    status: response.status,
    details: { partNumber, code },
    retryAfterMs: parseRetryAfter({ value: response.header("retry-after") }),
  });
}
