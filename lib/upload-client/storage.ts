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

/**
 * PUTs one part to its presigned URL and returns the part's ETag as storage
 * sent it (quotes included). Errors: `url_expired` (sign again, not a
 * failure), `network_error` (status 0) and `storage_error` with the status.
 */
export async function putPart({
  url,
  expiresAt,
  partNumber,
  body,
  signal,
  stallTimeoutMs,
}: {
  url: string;
  expiresAt: number;
  partNumber: number;
  body: PartBody;
  signal: AbortSignal;
  stallTimeoutMs?: number;
}): Promise<string> {
  // A dead connection never fails on its own: give up on a part that has not gone through in this time, then retry it.
  const size = body instanceof Blob ? body.size : body.byteLength;
  const stalled = AbortSignal.timeout(stallTimeout({ size, stallTimeoutMs }));
  let response: Response;
  try {
    response = await fetch(url, { method: "PUT", body, signal: AbortSignal.any([signal, stalled]) });
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    const message = stalled.aborted ? `Part ${partNumber} stalled and was stopped.` : `Could not send part ${partNumber} to storage.`;
    throw new UploadError("network_error", message, { status: 0, details: { partNumber }, cause });
  }

  if (response.ok) {
    await response.body?.cancel();
    const etag = response.headers.get("etag");
    if (etag) return etag;
    // Browsers hide the header unless the bucket's CORS rules expose it.
    throw new UploadError("missing_etag", `Storage accepted part ${partNumber} but sent no ETag header (CORS must expose ETag).`, { status: response.status });
  }

  const xml = await response.text().catch(() => "");
  const code = xmlField(xml, "Code");
  if (response.status === 403 && (xml.includes("Request has expired") || (code === "AccessDenied" && expiresAt <= Date.now()))) {
    throw new UploadError("url_expired", `The upload URL for part ${partNumber} has expired.`, { status: 403, details: { partNumber } });
  }
  const reason = [code, xmlField(xml, "Message")].filter(Boolean).join(": ") || response.statusText;
  throw new UploadError("storage_error", `Storage rejected part ${partNumber} with ${response.status}${reason ? ` (${reason})` : ""}.`, {
    status: response.status,
    details: { partNumber, code },
    retryAfterMs: parseRetryAfter({ value: response.headers.get("retry-after") }),
  });
}
