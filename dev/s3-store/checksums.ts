import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";

/** Incremental digests over a body as it streams past. */
export interface Digest {
  update(chunk: Buffer): void;
  /** The digest in the encoding S3 uses for this algorithm's header. */
  result(): string;
}

class NodeHash implements Digest {
  private readonly hash: Hash;
  constructor(
    algorithm: string,
    private readonly encoding: "hex" | "base64",
  ) {
    this.hash = createHash(algorithm);
  }
  update(chunk: Buffer) {
    this.hash.update(chunk);
  }
  result() {
    return this.hash.digest(this.encoding);
  }
}

class Crc32 implements Digest {
  private value = 0;
  update(chunk: Buffer) {
    this.value = crc32(chunk, this.value);
  }
  result() {
    return toBase64(this.value);
  }
}

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78; zlib only has plain CRC-32.
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

class Crc32c implements Digest {
  private value = 0xffffffff;
  update(chunk: Buffer) {
    let c = this.value;
    for (const byte of chunk) c = (CRC32C_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    this.value = c;
  }
  result() {
    return toBase64((this.value ^ 0xffffffff) >>> 0);
  }
}

function toBase64(value: number): string {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer.toString("base64");
}

/** x-amz-checksum-* algorithms the store verifies. */
export const checksumAlgorithms = {
  crc32: () => new Crc32(),
  crc32c: () => new Crc32c(),
  sha1: () => new NodeHash("sha1", "base64"),
  sha256: () => new NodeHash("sha256", "base64"),
} as const;

export type ChecksumAlgorithm = keyof typeof checksumAlgorithms;

export const md5Hex = () => new NodeHash("md5", "hex");
export const md5Base64 = () => new NodeHash("md5", "base64");
export const sha256Hex = () => new NodeHash("sha256", "hex");
