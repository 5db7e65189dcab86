import { UploadError } from "./errors";
import { parseRetryAfter } from "./retry";

export type PartBody = Blob | Uint8Array<ArrayBuffer>;

function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/**
 * PUTs one part to its presigned URL and returns the part's ETag as storage
 * sent it (quotes included). Errors: `url_expired` (sign again, not a
 * failure), `network_error` (status 0) and `storage_error` with the status.
 */
export async function putPart({ url, expiresAt, partNumber, body, signal }: { url: string; expiresAt: number; partNumber: number; body: PartBody; signal: AbortSignal }): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { method: "PUT", body, signal });
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new UploadError("network_error", `Could not send part ${partNumber} to storage.`, { status: 0, details: { partNumber }, cause });
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
