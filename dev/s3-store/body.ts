import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type ChecksumAlgorithm, checksumAlgorithms, type Digest, md5Base64, md5Hex, sha256Hex } from "./checksums";
import { errors } from "./errors";

export type ReceivedBody = {
  file: string;
  size: number;
  md5: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
};

type Expectations = { contentMd5?: string; payloadHash: string; checksums: Partial<Record<ChecksumAlgorithm, string>> };

/** What the request declares about its body: Content-MD5, x-amz-content-sha256 and x-amz-checksum-*. */
export function bodyExpectations(request: IncomingMessage, payloadHash: string): Expectations {
  const checksums: Expectations["checksums"] = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const match = /^x-amz-checksum-(.+)$/.exec(name);
    if (!match?.[1] || typeof value !== "string" || match[1] === "type" || match[1] === "algorithm") continue;
    const algorithm = match[1];
    if (!(algorithm in checksumAlgorithms)) throw errors.invalidRequest(`The checksum algorithm ${algorithm} is not supported by the local store.`);
    checksums[algorithm as ChecksumAlgorithm] = value;
  }
  const contentMd5 = typeof request.headers["content-md5"] === "string" ? request.headers["content-md5"] : undefined;
  if (contentMd5 !== undefined && Buffer.from(contentMd5, "base64").length !== 16) throw errors.invalidDigest("Content-MD5");
  if (payloadHash.startsWith("STREAMING-")) throw errors.notImplemented(`Chunked payload signing (${payloadHash})`);
  return { contentMd5, payloadHash, checksums };
}

/**
 * Streams the request body into a temporary file next to `dir`, computing the
 * digests on the way (never holding the body in memory), then checks the
 * length and every declared digest. The caller renames the file into place.
 */
export async function receiveBody(
  request: IncomingMessage,
  tmpDir: string,
  expected: Expectations,
  maxSize: number,
  /** Read through this first (fault injection's throttle). */
  through?: Transform,
): Promise<ReceivedBody> {
  const declared = request.headers["content-length"];
  if (declared === undefined) throw errors.missingContentLength();
  const contentLength = Number(declared);
  if (contentLength > maxSize) throw errors.entityTooLarge(contentLength, maxSize);

  const md5 = md5Hex();
  const digests: [string, Digest][] = [["md5", md5]];
  const sha = /^[0-9a-f]{64}$/.test(expected.payloadHash) ? sha256Hex() : undefined;
  if (sha) digests.push(["sha256-payload", sha]);
  for (const algorithm of Object.keys(expected.checksums) as ChecksumAlgorithm[]) digests.push([algorithm, checksumAlgorithms[algorithm]()]);
  const contentMd5 = expected.contentMd5 ? md5Base64() : undefined;
  if (contentMd5) digests.push(["content-md5", contentMd5]);

  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      for (const [, digest] of digests) digest.update(chunk);
      done(null, chunk);
    },
  });

  await fs.mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, `${Date.now()}-${randomBytes(6).toString("hex")}`);
  try {
    await (through ? pipeline(request, through, hashing, createWriteStream(file)) : pipeline(request, hashing, createWriteStream(file)));
    if (size !== contentLength) throw errors.incompleteBody();
    if (contentMd5 && contentMd5.result() !== expected.contentMd5) throw errors.badDigest("Content-MD5");
    if (sha && sha.result() !== expected.payloadHash) throw errors.sha256Mismatch();
    let checksum: ReceivedBody["checksum"];
    for (const [name, digest] of digests) {
      if (!(name in expected.checksums)) continue;
      const algorithm = name as ChecksumAlgorithm;
      const value = digest.result();
      if (value !== expected.checksums[algorithm]) throw errors.badDigest(algorithm.toUpperCase());
      checksum = { algorithm, value };
    }
    return { file, size, md5: md5.result(), checksum };
  } catch (error) {
    await fs.rm(file, { force: true });
    throw error;
  }
}

/** Reads a small (XML) body into memory, verifying its declared digests. */
export async function readSmallBody(request: IncomingMessage, expected: Expectations, limit = 2 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw errors.invalidRequest("The request body is too large.");
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const digest = (make: () => Digest) => {
    const d = make();
    d.update(body);
    return d.result();
  };
  if (expected.contentMd5 && digest(md5Base64) !== expected.contentMd5) throw errors.badDigest("Content-MD5");
  if (/^[0-9a-f]{64}$/.test(expected.payloadHash) && digest(sha256Hex) !== expected.payloadHash) throw errors.sha256Mismatch();
  for (const [algorithm, value] of Object.entries(expected.checksums)) {
    if (digest(checksumAlgorithms[algorithm as ChecksumAlgorithm]) !== value) throw errors.badDigest(algorithm.toUpperCase());
  }
  return body.toString("utf8");
}
