import type { CompletedPart, UploadApi } from "./api";
import { UploadError } from "./errors";

export type PartUrl = { url: string; expiresAt: number };

/** A cached URL this close to its expiry is signed again rather than risked. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Presigned part URLs, signed just in time: a part without a usable URL asks
 * for itself and the next unsigned parts of `upcoming()` in one call, and that
 * call reports the parts finished since the last one. Once `reportEvery` parts
 * wait to be reported, the next upcoming part is signed early to carry them.
 */
export function createPartUrls({
  api,
  videoId,
  upcoming,
  reportEvery,
  batchSize = 20,
}: {
  api: UploadApi;
  videoId: string;
  upcoming: () => readonly number[];
  reportEvery: number;
  batchSize?: number;
}) {
  const urls = new Map<number, PartUrl>();
  const signing = new Map<number, Promise<void>>();
  let unreported: CompletedPart[] = [];

  const usable = (partNumber: number) => {
    const cached = urls.get(partNumber);
    return cached !== undefined && cached.expiresAt - EXPIRY_MARGIN_MS > Date.now();
  };

  function add({ parts, expiresAt }: { parts: { partNumber: number; url: string }[]; expiresAt: string }) {
    // An unreadable expiry means "unknown": keep the URL and let storage say when it has expired.
    const expires = Date.parse(expiresAt);
    for (const part of parts) urls.set(part.partNumber, { url: part.url, expiresAt: Number.isNaN(expires) ? Infinity : expires });
  }

  function sign({ first, signal }: { first: number; signal: AbortSignal }): Promise<void> {
    const partNumbers = [first, ...upcoming().filter((n) => n !== first && !usable(n) && !signing.has(n))].slice(0, batchSize);
    const completed = unreported;
    unreported = [];
    const request = api
      .signParts({ videoId, partNumbers, completed, signal })
      .then(add, (error: unknown) => {
        unreported = [...completed, ...unreported];
        throw error;
      })
      .finally(() => partNumbers.forEach((n) => signing.delete(n)));
    partNumbers.forEach((n) => signing.set(n, request));
    return request;
  }

  return {
    add,
    /** A finished part, sent to the server with a signing call so its progress stays right. */
    report({ part, signal }: { part: CompletedPart; signal: AbortSignal }) {
      unreported.push(part);
      if (unreported.length < reportEvery) return;
      const next = upcoming().find((n) => !signing.has(n));
      // A failure reaches the worker that needs the part; the reports wait for the next call.
      if (next !== undefined) sign({ first: next, signal }).catch(() => {});
    },
    /** A URL for the part; `renew` discards the cached one (storage said it expired). */
    async get({ partNumber, renew = false, signal }: { partNumber: number; renew?: boolean; signal: AbortSignal }): Promise<PartUrl> {
      if (renew) urls.delete(partNumber);
      if (!usable(partNumber)) {
        // Clients with a fast clock would otherwise re-sign forever: a URL just signed is always tried.
        urls.delete(partNumber);
        await (signing.get(partNumber) ?? sign({ first: partNumber, signal }));
      }
      const url = urls.get(partNumber);
      if (!url) throw new UploadError("invalid_response", `The server did not sign a URL for part ${partNumber}.`);
      return url;
    },
  };
}

export type PartUrls = ReturnType<typeof createPartUrls>;
