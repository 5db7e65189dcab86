import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

export type StorageConfig = {
  /** Undefined: the provider's default endpoint (AWS S3). */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Undefined: the SDK's default credential chain (e.g. an IAM role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** CDN or public bucket base URL for public objects. */
  publicUrl?: string;
  /** Recorded on each video: "local", "r2" or "s3". */
  provider: string;
};

export type UploadedPart = { partNumber: number; etag: string; size: number };

const DELETE_BATCH = 1000;

export function createS3Client(config: Pick<StorageConfig, "endpoint" | "region" | "credentials" | "forcePathStyle">) {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // Otherwise presigned URLs carry a CRC32 of an empty body, which S3, R2 and MinIO reject.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** The S3 adapter: every storage call the app makes, over one S3Client. No business rules here. */
export function createStorage(config: StorageConfig) {
  const client = createS3Client(config);
  const Bucket = config.bucket;

  async function createMultipartUpload({ key, contentType, metadata }: { key: string; contentType: string; metadata?: Record<string, string> }) {
    const result = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: contentType, Metadata: metadata }));
    if (!result.UploadId) throw new Error("CreateMultipartUpload returned no UploadId");
    return { uploadId: result.UploadId };
  }

  /** A URL for one part. The part's Content-Length is signed, so a client cannot send more or less than declared. */
  function presignUploadPart({
    key,
    uploadId,
    partNumber,
    contentLength,
    expiresIn,
  }: {
    key: string;
    uploadId: string;
    partNumber: number;
    contentLength: number;
    expiresIn: number;
  }): Promise<string> {
    const command = new UploadPartCommand({ Bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, ContentLength: contentLength });
    return getSignedUrl(client, command, { expiresIn, signableHeaders: new Set(["content-length"]) });
  }

  function presignUploadParts({
    key,
    uploadId,
    parts,
    expiresIn,
  }: {
    key: string;
    uploadId: string;
    parts: { partNumber: number; contentLength: number }[];
    expiresIn: number;
  }) {
    return Promise.all(
      parts.map(async ({ partNumber, contentLength }) => ({
        partNumber,
        url: await presignUploadPart({ key, uploadId, partNumber, contentLength, expiresIn }),
      })),
    );
  }

  /** Every part storage holds for the upload (all pages), in part order. */
  async function listParts({ key, uploadId, pageSize }: { key: string; uploadId: string; pageSize?: number }): Promise<UploadedPart[]> {
    const parts: UploadedPart[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListPartsCommand({ Bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker, MaxParts: pageSize }));
      for (const part of page.Parts ?? []) {
        if (part.PartNumber !== undefined && part.ETag && part.Size !== undefined) {
          parts.push({ partNumber: part.PartNumber, etag: part.ETag, size: part.Size });
        }
      }
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return parts;
  }

  async function completeMultipartUpload({ key, uploadId, parts }: { key: string; uploadId: string; parts: { partNumber: number; etag: string }[] }) {
    const result = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map(({ partNumber, etag }) => ({ PartNumber: partNumber, ETag: etag })) },
      }),
    );
    return { etag: result.ETag ?? "" };
  }

  /** Aborts the upload; false when storage no longer knows it (already aborted or completed). */
  async function abortMultipartUpload({ key, uploadId }: { key: string; uploadId: string }): Promise<boolean> {
    try {
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: uploadId }));
      return true;
    } catch (error) {
      if (storageErrorCode(error) === "NoSuchUpload") return false;
      throw error;
    }
  }

  /** Uploads a body of known length: a stream is piped, never buffered. */
  async function putObject({
    key,
    body,
    contentLength,
    contentType,
    cacheControl,
  }: {
    key: string;
    body: Readable | Buffer | string;
    contentLength?: number;
    contentType: string;
    cacheControl?: string;
  }) {
    const length = contentLength ?? (typeof body === "string" ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : undefined);
    if (length === undefined) throw new Error("putObject needs contentLength for a stream body");
    const result = await client.send(
      new PutObjectCommand({ Bucket, Key: key, Body: body, ContentLength: length, ContentType: contentType, CacheControl: cacheControl }),
    );
    return { etag: result.ETag ?? "" };
  }

  async function putFile({ key, path, contentType, cacheControl }: { key: string; path: string; contentType: string; cacheControl?: string }) {
    const { size } = await fs.stat(path);
    return putObject({ key, body: createReadStream(path), contentLength: size, contentType, cacheControl });
  }

  /** The object's body as a stream (a byte range when asked), with its headers. */
  async function getObjectStream({ key, range }: { key: string; range?: { start: number; end?: number } }) {
    const result = await client.send(
      new GetObjectCommand({ Bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end ?? ""}` : undefined }),
    );
    if (!result.Body) throw new Error(`GetObject ${key} returned no body`);
    return {
      body: result.Body as Readable,
      contentLength: result.ContentLength ?? 0,
      contentType: result.ContentType,
      contentRange: result.ContentRange,
      etag: result.ETag ?? "",
    };
  }

  /** The object's size, type and ETag, or undefined when there is no such object. */
  async function headObject({ key }: { key: string }) {
    try {
      const result = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      return { size: result.ContentLength ?? 0, contentType: result.ContentType, etag: result.ETag ?? "", lastModified: result.LastModified };
    } catch (error) {
      if (storageErrorCode(error) === "NotFound" || storageErrorCode(error) === "NoSuchKey") return undefined;
      throw error;
    }
  }

  /** Throws unless the bucket exists and these credentials reach it. */
  async function checkBucket() {
    await client.send(new HeadBucketCommand({ Bucket }));
  }

  /** Deletes in batches of 1000; throws if storage refused any key. */
  async function deleteObjects({ keys }: { keys: string[] }) {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const result = await client.send(
        new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      if (result.Errors?.length) {
        const first = result.Errors[0];
        throw new Error(`DeleteObjects failed for ${result.Errors.length} key(s), e.g. ${first?.Key}: ${first?.Code} ${first?.Message}`);
      }
    }
  }

  /** Deletes every object under the prefix; returns how many. */
  async function deletePrefix({ prefix, pageSize }: { prefix: string; pageSize?: number }): Promise<number> {
    if (!prefix) throw new Error("deletePrefix refuses an empty prefix");
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: pageSize }));
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      if (keys.length) await deleteObjects({ keys });
      deleted += keys.length;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }

  async function listKeys({ prefix, pageSize }: { prefix: string; pageSize?: number }): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: pageSize }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /** The object's URL under STORAGE_PUBLIC_URL (a CDN or public bucket), if one is configured. */
  function publicUrl({ key }: { key: string }): string | undefined {
    if (!config.publicUrl) return undefined;
    return `${config.publicUrl.replace(/\/+$/, "")}/${key.split("/").map(encodeURIComponent).join("/")}`;
  }

  /** A time-limited GET URL for a private object; `filename` makes browsers download it under that name. */
  function presignGetObject({ key, expiresIn, filename }: { key: string; expiresIn: number; filename?: string }): Promise<string> {
    const disposition = filename ? `attachment; filename*=UTF-8''${encodeURIComponent(filename)}` : undefined;
    return getSignedUrl(client, new GetObjectCommand({ Bucket, Key: key, ResponseContentDisposition: disposition }), { expiresIn });
  }

  return {
    config,
    createMultipartUpload,
    presignUploadPart,
    presignUploadParts,
    listParts,
    completeMultipartUpload,
    abortMultipartUpload,
    putObject,
    putFile,
    getObjectStream,
    headObject,
    checkBucket,
    deleteObjects,
    deletePrefix,
    listKeys,
    publicUrl,
    presignGetObject,
    destroy: () => client.destroy(),
  };
}

export type Storage = ReturnType<typeof createStorage>;

/** The S3 error code of a failed call ("NoSuchUpload", "InvalidPart", …), if it is one. */
export function storageErrorCode(error: unknown): string | undefined {
  if (error instanceof S3ServiceException) return error.name;
  if (typeof error === "object" && error !== null && "name" in error && "$metadata" in error) return String(error.name);
  return undefined;
}
