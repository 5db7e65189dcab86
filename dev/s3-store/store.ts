import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReceivedBody } from "./body";
import type { CorsRule } from "./cors";
import { errors, S3Error } from "./errors";

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
export const MAX_PARTS = 10_000;

export type ObjectHeaders = {
  contentType: string;
  metadata: Record<string, string>;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
};

export type ObjectMeta = ObjectHeaders & {
  key: string;
  size: number;
  etag: string;
  lastModified: string;
  checksum?: ReceivedBody["checksum"];
  /**
   * Where the bytes are, relative to the bucket: one file, or (a completed
   * multipart upload) a folder of part files read in order, so Complete never
   * copies the data.
   */
  data: { path: string; parts?: { file: string; size: number }[] };
};

export type PartMeta = { partNumber: number; etag: string; size: number; lastModified: string };

export type UploadMeta = ObjectHeaders & { uploadId: string; key: string; initiated: string };

type Upload = { meta: UploadMeta; parts: Map<number, PartMeta>; completing?: Promise<ObjectMeta> };

type BucketMeta = { name: string; createdAt: string; cors?: CorsRule[] };

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");
const quote = (md5: string) => `"${md5}"`;
export const unquote = (etag: string) => etag.trim().replace(/^W\//, "").replace(/^"|"$/g, "");

export class Bucket {
  readonly objects = new Map<string, ObjectMeta>();
  readonly uploads = new Map<string, Upload>();

  constructor(
    readonly dir: string,
    public meta: BucketMeta,
  ) {}

  get name() {
    return this.meta.name;
  }
  get tmpDir() {
    return path.join(this.dir, "tmp");
  }
  /** The object's metadata file; its data lives at a path unique to each version. */
  metaFile(key: string) {
    return path.join(this.dir, "objects", `${hashKey(key)}.json`);
  }
  private newDataPath(key: string) {
    return path.join("objects", `${hashKey(key)}.${Date.now().toString(36)}${randomBytes(4).toString("hex")}`);
  }

  /** The object's bytes (or a byte range of them), streamed from its file or its parts in order. */
  read(meta: ObjectMeta, range?: { start: number; end: number }): Readable {
    const start = range?.start ?? 0;
    const end = range?.end ?? meta.size - 1;
    const base = path.join(this.dir, meta.data.path);
    const segments = meta.data.parts
      ? meta.data.parts.map((part) => ({ file: path.join(base, part.file), size: part.size }))
      : [{ file: base, size: meta.size }];
    return Readable.from(
      (async function* () {
        let offset = 0;
        for (const segment of segments) {
          const from = Math.max(start, offset);
          const to = Math.min(end, offset + segment.size - 1);
          if (from <= to) yield* createReadStream(segment.file, { start: from - offset, end: to - offset, highWaterMark: 1024 * 1024 });
          offset += segment.size;
          if (offset > end) break;
        }
      })(),
    );
  }
  uploadDir(uploadId: string) {
    return path.join(this.dir, "uploads", uploadId);
  }
  partFile(uploadId: string, partNumber: number) {
    return path.join(this.uploadDir(uploadId), String(partNumber));
  }

  object(key: string): ObjectMeta {
    const object = this.objects.get(key);
    if (!object) throw errors.noSuchKey(key);
    return object;
  }

  upload(uploadId: string, key: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.meta.key !== key) throw errors.noSuchUpload(uploadId);
    return upload;
  }

  async saveMeta() {
    await writeJson(path.join(this.dir, "bucket.json"), this.meta);
  }

  async putObject(key: string, body: ReceivedBody, headers: ObjectHeaders): Promise<ObjectMeta> {
    const data = this.newDataPath(key);
    await fs.mkdir(path.join(this.dir, "objects"), { recursive: true });
    await fs.rename(body.file, path.join(this.dir, data));
    const meta: ObjectMeta = {
      ...headers,
      key,
      size: body.size,
      etag: quote(body.md5),
      lastModified: new Date().toISOString(),
      ...(body.checksum ? { checksum: body.checksum } : {}),
      data: { path: data },
    };
    await this.commitObject(meta);
    return meta;
  }

  async deleteObject(key: string) {
    const previous = this.objects.get(key);
    if (!previous) return;
    this.objects.delete(key);
    await fs.rm(this.metaFile(key), { force: true });
    await this.removeData(previous);
  }

  async createUpload(key: string, headers: ObjectHeaders): Promise<UploadMeta> {
    const uploadId = randomBytes(24).toString("base64url");
    const meta: UploadMeta = { ...headers, uploadId, key, initiated: new Date().toISOString() };
    await fs.mkdir(this.uploadDir(uploadId), { recursive: true });
    await writeJson(path.join(this.uploadDir(uploadId), "upload.json"), meta);
    this.uploads.set(uploadId, { meta, parts: new Map() });
    return meta;
  }

  async putPart(uploadId: string, key: string, partNumber: number, body: ReceivedBody): Promise<PartMeta> {
    const upload = this.uploads.get(uploadId);
    // The upload may have been aborted or completed while the body streamed in.
    if (!upload || upload.meta.key !== key || upload.completing) {
      await fs.rm(body.file, { force: true });
      throw errors.noSuchUpload(uploadId);
    }
    const part: PartMeta = { partNumber, etag: quote(body.md5), size: body.size, lastModified: new Date().toISOString() };
    const file = this.partFile(uploadId, partNumber);
    await fs.rename(body.file, file);
    await writeJson(`${file}.json`, part);
    upload.parts.set(partNumber, part);
    return part;
  }

  async abortUpload(uploadId: string, key: string) {
    const upload = this.upload(uploadId, key);
    if (upload.completing) throw errors.noSuchUpload(uploadId);
    this.uploads.delete(uploadId);
    await fs.rm(this.uploadDir(uploadId), { recursive: true, force: true });
  }

  /**
   * Checks the client's part list as S3 does, then concatenates the part
   * files (streamed) into the object. Concurrent calls share one completion.
   */
  completeUpload(uploadId: string, key: string, requested: { partNumber: number; etag: string }[], r2: boolean): Promise<ObjectMeta> {
    const upload = this.upload(uploadId, key);
    if (upload.completing) return upload.completing;
    if (requested.length === 0) throw errors.malformedXml();

    const chosen: PartMeta[] = [];
    let previous = 0;
    for (const { partNumber, etag } of requested) {
      if (partNumber <= previous) throw errors.invalidPartOrder();
      previous = partNumber;
      const part = upload.parts.get(partNumber);
      if (!part || unquote(part.etag) !== unquote(etag)) throw errors.invalidPart();
      chosen.push(part);
    }
    chosen.forEach((part, index) => {
      const last = index === chosen.length - 1;
      if (!last && part.size < MIN_PART_SIZE) throw errors.entityTooSmall(part.partNumber, part.size);
      if (r2 && !last && part.size !== chosen[0]?.size) {
        throw errors.invalidPart("All non-trailing parts must have the same length.");
      }
    });

    upload.completing = this.assemble(upload, chosen).catch((error: unknown) => {
      upload.completing = undefined;
      throw error;
    });
    return upload.completing;
  }

  private async assemble(upload: Upload, parts: PartMeta[]): Promise<ObjectMeta> {
    const { uploadId, key, contentType, metadata, cacheControl, contentDisposition, contentEncoding } = upload.meta;
    // Parts not named in the list are discarded, as S3 does; the chosen ones become the object's data.
    const chosen = new Set(parts.map((part) => String(part.partNumber)));
    for (const file of await fs.readdir(this.uploadDir(uploadId))) {
      if (!chosen.has(file)) await fs.rm(path.join(this.uploadDir(uploadId), file), { force: true });
    }
    const data = this.newDataPath(key);
    await fs.mkdir(path.join(this.dir, "objects"), { recursive: true });
    await fs.rename(this.uploadDir(uploadId), path.join(this.dir, data));

    const md5s = Buffer.concat(parts.map((part) => Buffer.from(unquote(part.etag), "hex")));
    const meta: ObjectMeta = {
      contentType,
      metadata,
      ...(cacheControl ? { cacheControl } : {}),
      ...(contentDisposition ? { contentDisposition } : {}),
      ...(contentEncoding ? { contentEncoding } : {}),
      key,
      size: parts.reduce((sum, part) => sum + part.size, 0),
      etag: `"${createHash("md5").update(md5s).digest("hex")}-${parts.length}"`,
      lastModified: new Date().toISOString(),
      data: { path: data, parts: parts.map((part) => ({ file: String(part.partNumber), size: part.size })) },
    };
    this.uploads.delete(uploadId);
    await this.commitObject(meta);
    return meta;
  }

  /** Makes `meta` the key's current version, then removes the data of the version it replaces. */
  private async commitObject(meta: ObjectMeta) {
    const previous = this.objects.get(meta.key);
    await writeJson(this.metaFile(meta.key), meta);
    this.objects.set(meta.key, meta);
    if (previous && previous.data.path !== meta.data.path) await this.removeData(previous);
  }

  private async removeData(meta: ObjectMeta) {
    await fs.rm(path.join(this.dir, meta.data.path), { recursive: true, force: true });
  }
}

/** All buckets under one data directory; metadata is indexed in memory, bodies stay on disk. */
export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly root: string) {}

  async load() {
    await fs.mkdir(this.root, { recursive: true });
    for (const name of await fs.readdir(this.root)) {
      const dir = path.join(this.root, name);
      const meta = await readJson<BucketMeta>(path.join(dir, "bucket.json"));
      if (!meta) continue;
      const bucket = new Bucket(dir, meta);
      await fs.rm(bucket.tmpDir, { recursive: true, force: true });
      const files = await readdirSafe(path.join(dir, "objects"));
      for (const file of files) {
        if (!file.endsWith(".json")) continue;
        const object = await readJson<ObjectMeta>(path.join(dir, "objects", file));
        if (object?.data) bucket.objects.set(object.key, object);
      }
      // Data no metadata points to was left by a write interrupted between its two steps.
      const referenced = new Set([...bucket.objects.values()].map((object) => path.basename(object.data.path)));
      for (const file of files) {
        if (!file.endsWith(".json") && !referenced.has(file)) await fs.rm(path.join(dir, "objects", file), { recursive: true, force: true });
      }
      for (const uploadId of await readdirSafe(path.join(dir, "uploads"))) {
        const uploadMeta = await readJson<UploadMeta>(path.join(bucket.uploadDir(uploadId), "upload.json"));
        if (!uploadMeta) continue;
        const parts = new Map<number, PartMeta>();
        for (const file of await readdirSafe(bucket.uploadDir(uploadId))) {
          if (!/^\d+\.json$/.test(file)) continue;
          const part = await readJson<PartMeta>(path.join(bucket.uploadDir(uploadId), file));
          if (part) parts.set(part.partNumber, part);
        }
        bucket.uploads.set(uploadId, { meta: uploadMeta, parts });
      }
      this.buckets.set(name, bucket);
    }
  }

  list(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  bucket(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw errors.noSuchBucket(name);
    return bucket;
  }

  has(name: string) {
    return this.buckets.has(name);
  }

  async createBucket(name: string, cors?: CorsRule[]): Promise<Bucket> {
    if (!BUCKET_NAME.test(name) || name.includes("..")) throw errors.invalidBucketName(name);
    if (this.buckets.has(name)) throw errors.bucketExists(name);
    const bucket = new Bucket(path.join(this.root, name), { name, createdAt: new Date().toISOString(), ...(cors ? { cors } : {}) });
    await fs.mkdir(bucket.dir, { recursive: true });
    await bucket.saveMeta();
    this.buckets.set(name, bucket);
    return bucket;
  }

  async deleteBucket(name: string) {
    const bucket = this.bucket(name);
    if (bucket.objects.size > 0 || bucket.uploads.size > 0) {
      throw new S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", 409, { BucketName: name });
    }
    this.buckets.delete(name);
    await fs.rm(bucket.dir, { recursive: true, force: true });
  }
}

async function writeJson(file: string, value: unknown) {
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value));
  await fs.rename(tmp, file);
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

async function readdirSafe(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch(() => []);
}
