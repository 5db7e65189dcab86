import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Credentials, verifySignature } from "./auth";
import { bodyExpectations, readSmallBody, receiveBody } from "./body";
import { applyCors, corsFromXml, corsToXml, type CorsRule, preflight } from "./cors";
import { errors, S3Error } from "./errors";
import { handleAdmin } from "./admin";
import { type Fault, Faults } from "./faults";
import { MAX_PART_SIZE, MAX_PARTS, type Bucket, type ObjectHeaders, type ObjectMeta, ObjectStore, unquote } from "./store";
import { isoDate, parseXml, s3Document } from "./xml";

export type S3StoreOptions = {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Port of the fault-injection admin endpoint; 0 picks a free one. */
  adminPort?: number;
  region?: string;
  credentials: Credentials[];
  /** `r2` also refuses non-last parts of unequal size on Complete, as Cloudflare R2 does. */
  mode?: "s3" | "r2";
  /** Created at start when missing; their CORS configuration is (re)applied. */
  buckets?: { name: string; cors?: CorsRule[] }[];
  log?: (line: string) => void;
};

export type S3Store = {
  endpoint: string;
  adminEndpoint: string;
  faults: Faults;
  close(): Promise<void>;
};

const MAX_OBJECT_SIZE = 5 * 1024 ** 4; // 5 TiB, S3's limit
const MAX_SINGLE_PUT = 5 * 1024 ** 3;
const DRAIN_LIMIT = 64 * 1024 * 1024;

type Context = {
  request: IncomingMessage;
  response: ServerResponse;
  query: URLSearchParams;
  bucketName: string;
  key: string;
  resource: string;
  payloadHash: string;
};

/** A small S3-compatible server (path-style) for development and tests. */
export async function startS3Store(options: S3StoreOptions): Promise<S3Store> {
  const host = options.host ?? "127.0.0.1";
  const region = options.region ?? "us-east-1";
  const regions = options.mode === "r2" ? [region, "auto", "us-east-1"] : [region];
  const log = options.log ?? (() => {});
  const store = new ObjectStore(options.dataDir);
  await store.load();
  for (const { name, cors } of options.buckets ?? []) {
    const bucket = store.has(name) ? store.bucket(name) : await store.createBucket(name);
    if (cors) {
      bucket.meta.cors = cors;
      await bucket.saveMeta();
    }
  }
  const faults = new Faults();

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const requestId = randomBytes(8).toString("hex").toUpperCase();
    response.setHeader("x-amz-request-id", requestId);
    response.setHeader("server", "LecternS3");
    const [rawPath = "/", rawQuery = ""] = (request.url ?? "/").split("?", 2) as [string, string?];
    const query = new URLSearchParams(rawQuery);
    let resource = rawPath;
    try {
      const { bucketName, key } = splitPath(rawPath);
      resource = `/${bucketName}${key ? `/${key}` : ""}`;
      const bucketRules = bucketName && store.has(bucketName) ? store.bucket(bucketName).meta.cors : undefined;
      if (request.method === "OPTIONS") {
        if (!bucketName) throw errors.methodNotAllowed();
        return preflight(request, response, store.bucket(bucketName).meta.cors);
      }
      applyCors(request, response, bucketRules);
      const { payloadHash } = await verifySignature(request, rawPath, query, { credentials: options.credentials, regions });
      await route({ request, response, query, bucketName, key, resource, payloadHash });
    } catch (error) {
      // A cut connection (ours, by fault injection, or the client's) has nobody left to answer.
      if (error instanceof FaultHandled || request.socket.destroyed) return void response.destroy();
      if (!(error instanceof S3Error)) log(`internal error on ${request.method} ${request.url}: ${String(error)}`);
      await sendError(request, response, error instanceof S3Error ? error : errors.internal(), resource, requestId);
    }
  }

  async function route(context: Context) {
    const { request, query, bucketName, key } = context;
    const method = request.method ?? "GET";
    if (!bucketName) {
      if (method === "GET") return listBuckets(context);
      throw errors.methodNotAllowed();
    }
    if (!key) {
      if (method === "PUT") return query.has("cors") ? putBucketCors(context) : createBucket(context);
      if (method === "HEAD") return void (store.bucket(bucketName), context.response.writeHead(200).end());
      if (method === "GET") {
        if (query.has("cors")) return getBucketCors(context);
        if (query.has("uploads")) return listMultipartUploads(context);
        if (query.has("location")) return sendXml(context.response, 200, s3Document("LocationConstraint", {}));
        if (query.get("list-type") === "2") return listObjectsV2(context);
        throw errors.notImplemented("ListObjects (v1)");
      }
      if (method === "DELETE") return query.has("cors") ? deleteBucketCors(context) : deleteBucket(context);
      if (method === "POST" && query.has("delete")) return deleteObjects(context);
      throw errors.methodNotAllowed();
    }
    const bucket = store.bucket(bucketName);
    if (request.headers["x-amz-copy-source"]) throw errors.notImplemented("Copying objects");
    if (method === "PUT") return query.has("uploadId") ? uploadPart(context, bucket) : putObject(context, bucket);
    if (method === "GET") return query.has("uploadId") ? listParts(context, bucket) : getObject(context, bucket, true);
    if (method === "HEAD") return getObject(context, bucket, false);
    if (method === "DELETE") return query.has("uploadId") ? abortUpload(context, bucket) : deleteObject(context, bucket);
    if (method === "POST" && query.has("uploads")) return createUpload(context, bucket);
    if (method === "POST" && query.has("uploadId")) return completeUpload(context, bucket);
    throw errors.methodNotAllowed();
  }

  // --- faults ---------------------------------------------------------------

  /** Applies the fault due for this request, if any; a `throttle` fault comes back as the stream to read the body through. */
  async function injectFault(context: Context, operation: string): Promise<Transform | undefined> {
    const fault: Fault | undefined = faults.take(operation, context.key);
    if (!fault) return;
    if (fault.kind === "throttle") return throttled(fault.bytesPerSecond);
    if (fault.kind === "expired") throw errors.expired(new Date(Date.now() - 1000).toISOString(), new Date().toISOString());
    if (fault.kind === "latency") {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return;
    }
    if (fault.kind === "reset") {
      let seen = 0;
      await new Promise<void>((resolve) => {
        const cut = () => {
          context.request.socket.destroy();
          resolve();
        };
        if (fault.afterBytes === 0) return cut();
        context.request.on("data", (chunk: Buffer) => {
          seen += chunk.length;
          if (seen >= fault.afterBytes) cut();
        });
        context.request.on("end", cut);
      });
      throw new FaultHandled();
    }
    const code = fault.status === 429 ? "TooManyRequests" : fault.status === 503 ? "SlowDown" : "InternalError";
    const message = fault.status === 500 ? "We encountered an internal error. Please try again." : "Please reduce your request rate.";
    const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) };
    throw new S3Error(code, message, fault.status, {}, headers);
  }

  // --- service and buckets --------------------------------------------------

  function listBuckets({ response }: Context) {
    sendXml(
      response,
      200,
      s3Document("ListAllMyBucketsResult", {
        Owner: { ID: "lectern", DisplayName: "lectern" },
        Buckets: { Bucket: store.list().map((bucket) => ({ Name: bucket.name, CreationDate: isoDate(new Date(bucket.meta.createdAt)) })) },
      }),
    );
  }

  async function createBucket({ response, bucketName, request }: Context) {
    await drain(request);
    await store.createBucket(bucketName);
    response.writeHead(200, { location: `/${bucketName}` }).end();
  }

  async function deleteBucket({ response, bucketName }: Context) {
    await store.deleteBucket(bucketName);
    response.writeHead(204).end();
  }

  async function putBucketCors({ request, response, bucketName, payloadHash }: Context) {
    const bucket = store.bucket(bucketName);
    const body = await readSmallBody(request, bodyExpectations(request, payloadHash));
    bucket.meta.cors = corsFromXml(parseXml(body));
    await bucket.saveMeta();
    response.writeHead(200).end();
  }

  function getBucketCors({ response, bucketName }: Context) {
    const cors = store.bucket(bucketName).meta.cors;
    if (!cors?.length) throw errors.noSuchCors(bucketName);
    sendXml(response, 200, s3Document("CORSConfiguration", corsToXml(cors)));
  }

  async function deleteBucketCors({ response, bucketName }: Context) {
    const bucket = store.bucket(bucketName);
    delete bucket.meta.cors;
    await bucket.saveMeta();
    response.writeHead(204).end();
  }

  function listObjectsV2({ response, bucketName, query }: Context) {
    const bucket = store.bucket(bucketName);
    const prefix = query.get("prefix") ?? "";
    const delimiter = query.get("delimiter") ?? "";
    const maxKeys = boundedInt(query.get("max-keys"), 1000, 0, 1000, "max-keys");
    const startAfter = query.get("start-after") ?? "";
    const token = query.get("continuation-token");
    const resume = token === null ? undefined : decodeToken(token);
    const urlEncode = query.get("encoding-type") === "url";
    const enc = (value: string) => (urlEncode ? encodeURIComponent(value).replace(/%2F/g, "/") : value);

    const keys = [...bucket.objects.keys()].filter((key) => key.startsWith(prefix)).sort(compareKeys);
    const contents: ObjectMeta[] = [];
    const prefixes: string[] = [];
    let last: { key: string; prefix: boolean } | undefined;
    let truncated = false;
    for (const key of keys) {
      if (resume ? compareKeys(key, resume.key) <= 0 || (resume.prefix && key.startsWith(resume.key)) : startAfter && compareKeys(key, startAfter) <= 0) {
        continue;
      }
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const commonPrefix = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
      if (commonPrefix && last?.prefix && last.key === commonPrefix) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (commonPrefix) {
        prefixes.push(commonPrefix);
        last = { key: commonPrefix, prefix: true };
      } else {
        contents.push(bucket.object(key));
        last = { key, prefix: false };
      }
    }
    sendXml(
      response,
      200,
      s3Document("ListBucketResult", {
        Name: bucketName,
        Prefix: enc(prefix),
        ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
        MaxKeys: maxKeys,
        KeyCount: contents.length + prefixes.length,
        IsTruncated: truncated,
        ...(token === null ? {} : { ContinuationToken: token }),
        ...(truncated && last ? { NextContinuationToken: encodeToken(last) } : {}),
        ...(startAfter ? { StartAfter: enc(startAfter) } : {}),
        ...(urlEncode ? { EncodingType: "url" } : {}),
        Contents: contents.map((object) => ({
          Key: enc(object.key),
          LastModified: isoDate(new Date(object.lastModified)),
          ETag: object.etag,
          Size: object.size,
          StorageClass: "STANDARD",
        })),
        CommonPrefixes: prefixes.map((value) => ({ Prefix: enc(value) })),
      }),
    );
  }

  async function deleteObjects({ request, response, bucketName, payloadHash }: Context) {
    const bucket = store.bucket(bucketName);
    const expected = bodyExpectations(request, payloadHash);
    if (!expected.contentMd5 && Object.keys(expected.checksums).length === 0) {
      throw errors.invalidRequest("Missing required header for this request: Content-MD5");
    }
    const document = parseXml(await readSmallBody(request, expected)) as {
      Delete?: { Object?: { Key?: string }[]; Quiet?: string };
    };
    const objects = document.Delete?.Object ?? [];
    if (objects.length === 0 || objects.length > 1000 || objects.some((object) => typeof object.Key !== "string")) {
      throw errors.malformedXml();
    }
    const keys = objects.map((object) => object.Key ?? "");
    for (const key of keys) await bucket.deleteObject(key);
    const quiet = document.Delete?.Quiet === "true";
    sendXml(response, 200, s3Document("DeleteResult", quiet ? {} : { Deleted: keys.map((key) => ({ Key: key })) }));
  }

  // --- objects --------------------------------------------------------------

  async function putObject(context: Context, bucket: Bucket) {
    const { request, response, key } = context;
    const throttle = await injectFault(context, "PutObject");
    const ifNoneMatch = request.headers["if-none-match"];
    if (ifNoneMatch === "*" && bucket.objects.has(key)) throw errors.preconditionFailed("If-None-Match");
    const body = await receiveBody(request, bucket.tmpDir, bodyExpectations(request, context.payloadHash), MAX_SINGLE_PUT, throttle);
    faults.stats.bytesReceived += body.size;
    const object = await bucket.putObject(key, body, objectHeaders(request));
    response.writeHead(200, { etag: object.etag, ...checksumHeader(object.checksum) }).end();
  }

  async function getObject(context: Context, bucket: Bucket, withBody: boolean) {
    const { request, response, query, key } = context;
    // A throttle fault sends the body at its rate, as a distant or busy store would.
    const throttle = withBody ? await injectFault(context, "GetObject") : undefined;
    const object = bucket.object(key);
    const etag = unquote(object.etag);
    const ifMatch = request.headers["if-match"];
    if (ifMatch && !ifMatch.split(",").some((tag) => unquote(tag) === etag || tag.trim() === "*")) throw errors.preconditionFailed("If-Match");
    const ifNoneMatch = request.headers["if-none-match"];
    const lastModified = new Date(object.lastModified).toUTCString();
    const headers: Record<string, string | number> = {
      "content-type": query.get("response-content-type") ?? object.contentType,
      etag: object.etag,
      "last-modified": lastModified,
      "accept-ranges": "bytes",
      ...metadataHeaders(object),
    };
    const overrides = { "cache-control": object.cacheControl, "content-disposition": object.contentDisposition, "content-encoding": object.contentEncoding };
    for (const [name, value] of Object.entries(overrides)) {
      const override = query.get(`response-${name}`) ?? value;
      if (override) headers[name] = override;
    }
    if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => unquote(tag) === etag || tag.trim() === "*")) {
      response.writeHead(304, { etag: object.etag, "last-modified": lastModified }).end();
      return;
    }

    const range = parseRange(request.headers.range, object.size);
    if (range) {
      headers["content-range"] = `bytes ${range.start}-${range.end}/${object.size}`;
      headers["content-length"] = range.end - range.start + 1;
      response.writeHead(206, headers);
    } else {
      headers["content-length"] = object.size;
      response.writeHead(200, headers);
    }
    if (!withBody || object.size === 0 || (range && range.end < range.start)) return void response.end();
    if (throttle) await pipeline(bucket.read(object, range), throttle, response);
    else await pipeline(bucket.read(object, range), response);
  }

  async function deleteObject({ response, key }: Context, bucket: Bucket) {
    await bucket.deleteObject(key);
    response.writeHead(204).end();
  }

  // --- multipart ------------------------------------------------------------

  async function createUpload({ request, response, bucketName, key }: Context, bucket: Bucket) {
    await drain(request);
    const upload = await bucket.createUpload(key, objectHeaders(request));
    sendXml(response, 200, s3Document("InitiateMultipartUploadResult", { Bucket: bucketName, Key: key, UploadId: upload.uploadId }));
  }

  async function uploadPart(context: Context, bucket: Bucket) {
    const { request, response, query, key } = context;
    const partNumber = Number(query.get("partNumber"));
    const uploadId = query.get("uploadId") ?? "";
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
      throw errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", query.get("partNumber") ?? "");
    }
    bucket.upload(uploadId, key);
    const throttle = await injectFault(context, "UploadPart");
    const body = await receiveBody(request, bucket.tmpDir, bodyExpectations(request, context.payloadHash), MAX_PART_SIZE, throttle);
    faults.stats.bytesReceived += body.size;
    const part = await bucket.putPart(uploadId, key, partNumber, body);
    response.writeHead(200, { etag: part.etag, ...checksumHeader(body.checksum) }).end();
  }

  function listParts({ response, query, bucketName, key }: Context, bucket: Bucket) {
    const uploadId = query.get("uploadId") ?? "";
    const upload = bucket.upload(uploadId, key);
    const maxParts = boundedInt(query.get("max-parts"), 1000, 0, 1000, "max-parts");
    const marker = boundedInt(query.get("part-number-marker"), 0, 0, MAX_PARTS, "part-number-marker");
    const parts = [...upload.parts.values()].filter((part) => part.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
    const page = parts.slice(0, maxParts);
    const truncated = parts.length > page.length;
    sendXml(
      response,
      200,
      s3Document("ListPartsResult", {
        Bucket: bucketName,
        Key: key,
        UploadId: uploadId,
        Initiator: { ID: "lectern", DisplayName: "lectern" },
        Owner: { ID: "lectern", DisplayName: "lectern" },
        StorageClass: "STANDARD",
        PartNumberMarker: marker,
        NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
        MaxParts: maxParts,
        IsTruncated: truncated,
        Part: page.map((part) => ({
          PartNumber: part.partNumber,
          LastModified: isoDate(new Date(part.lastModified)),
          ETag: part.etag,
          Size: part.size,
        })),
      }),
    );
  }

  async function completeUpload(context: Context, bucket: Bucket) {
    const { request, response, query, bucketName, key } = context;
    const uploadId = query.get("uploadId") ?? "";
    bucket.upload(uploadId, key);
    await injectFault(context, "CompleteMultipartUpload");
    const document = parseXml(await readSmallBody(request, bodyExpectations(request, context.payloadHash))) as {
      CompleteMultipartUpload?: { Part?: { PartNumber?: string; ETag?: string }[] };
    };
    const parts = (document.CompleteMultipartUpload?.Part ?? []).map((part) => ({
      partNumber: Number(part.PartNumber),
      etag: part.ETag ?? "",
    }));
    if (parts.some((part) => !Number.isInteger(part.partNumber) || !part.etag)) throw errors.malformedXml();
    const object = await bucket.completeUpload(uploadId, key, parts, options.mode === "r2");
    if (object.size > MAX_OBJECT_SIZE) throw errors.entityTooLarge(object.size, MAX_OBJECT_SIZE);
    sendXml(
      response,
      200,
      s3Document("CompleteMultipartUploadResult", {
        Location: `${endpoint}/${bucketName}/${encodeURIComponent(key).replace(/%2F/g, "/")}`,
        Bucket: bucketName,
        Key: key,
        ETag: object.etag,
      }),
    );
  }

  async function abortUpload({ response, query, key }: Context, bucket: Bucket) {
    await bucket.abortUpload(query.get("uploadId") ?? "", key);
    response.writeHead(204).end();
  }

  function listMultipartUploads({ response, query, bucketName }: Context) {
    const bucket = store.bucket(bucketName);
    const prefix = query.get("prefix") ?? "";
    const keyMarker = query.get("key-marker") ?? "";
    const uploadIdMarker = query.get("upload-id-marker") ?? "";
    const maxUploads = boundedInt(query.get("max-uploads"), 1000, 0, 1000, "max-uploads");
    const uploads = [...bucket.uploads.values()]
      .map((upload) => upload.meta)
      .filter((upload) => upload.key.startsWith(prefix))
      .sort((a, b) => compareKeys(a.key, b.key) || a.initiated.localeCompare(b.initiated) || a.uploadId.localeCompare(b.uploadId))
      .filter((upload) => {
        if (!keyMarker) return true;
        const order = compareKeys(upload.key, keyMarker);
        return order > 0 || (order === 0 && uploadIdMarker !== "" && upload.uploadId > uploadIdMarker);
      });
    const page = uploads.slice(0, maxUploads);
    const truncated = uploads.length > page.length;
    const last = page.at(-1);
    sendXml(
      response,
      200,
      s3Document("ListMultipartUploadsResult", {
        Bucket: bucketName,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
        ...(truncated && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId } : {}),
        Prefix: prefix,
        MaxUploads: maxUploads,
        IsTruncated: truncated,
        Upload: page.map((upload) => ({
          Key: upload.key,
          UploadId: upload.uploadId,
          Initiator: { ID: "lectern", DisplayName: "lectern" },
          Owner: { ID: "lectern", DisplayName: "lectern" },
          StorageClass: "STANDARD",
          Initiated: isoDate(new Date(upload.initiated)),
        })),
      }),
    );
  }

  // --- servers --------------------------------------------------------------

  // handle() answers every error itself; this only keeps a bug in it from taking the whole process down.
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`unhandled error on ${request.method} ${request.url}: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await listen(server, options.port ?? 0, host);
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;

  const admin = createServer((request, response) => void handleAdmin(request, response, faults));
  await listen(admin, options.adminPort ?? 0, host);
  const adminEndpoint = `http://${host}:${(admin.address() as AddressInfo).port}`;
  log(`S3-compatible store on ${endpoint} (data in ${options.dataDir}; faults at ${adminEndpoint}/faults)`);

  return {
    endpoint,
    adminEndpoint,
    faults,
    close: async () => {
      await Promise.all([close(server), close(admin)]);
    },
  };
}

/** What a throttled stream passes on at a time: a large read (the store reads objects in big chunks) trickles out. */
const THROTTLE_SLICE = 16 * 1024;

/** Passes bytes on at `bytesPerSecond`, a slice at a time (backpressure slows the other side down as a slow link would). */
function throttled(bytesPerSecond: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const pass = (offset: number) => {
        if (offset >= chunk.length) return done();
        const slice = chunk.subarray(offset, offset + THROTTLE_SLICE);
        setTimeout(() => {
          this.push(slice);
          pass(offset + slice.length);
        }, Math.ceil((slice.length * 1000) / bytesPerSecond));
      };
      pass(0);
    },
  });
}

/** A fault that already answered (by cutting the connection). */
class FaultHandled extends Error {}

async function sendError(request: IncomingMessage, response: ServerResponse, error: S3Error, resource: string, requestId: string) {
  if (response.headersSent) {
    if (!response.writableEnded) response.destroy();
    return;
  }
  // Read what the client is still sending, so it sees our answer rather than a reset connection.
  await drain(request);
  if (response.headersSent) return;
  const headers = { ...error.headers, "content-type": "application/xml" };
  if (request.method === "HEAD") {
    response.writeHead(error.status, error.headers).end();
    return;
  }
  response.writeHead(error.status, headers).end(error.body(resource, requestId));
}

function sendXml(response: ServerResponse, status: number, body: string) {
  response.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) }).end(body);
}

async function drain(request: IncomingMessage) {
  if (request.readableEnded || request.destroyed) return;
  const length = Number(request.headers["content-length"] ?? 0);
  if (length > DRAIN_LIMIT) return;
  await new Promise<void>((resolve) => {
    request.on("end", resolve).on("error", () => resolve()).on("close", resolve);
    request.resume();
  });
}

function splitPath(rawPath: string): { bucketName: string; key: string } {
  const trimmed = rawPath.replace(/^\//, "");
  const slash = trimmed.indexOf("/");
  try {
    const bucketName = decodeURIComponent(slash === -1 ? trimmed : trimmed.slice(0, slash));
    const key = slash === -1 ? "" : decodeURIComponent(trimmed.slice(slash + 1));
    return { bucketName, key };
  } catch {
    throw errors.invalidUri();
  }
}

function objectHeaders(request: IncomingMessage): ObjectHeaders {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith("x-amz-meta-") && typeof value === "string") metadata[name.slice("x-amz-meta-".length)] = value;
  }
  const header = (name: string) => (typeof request.headers[name] === "string" ? (request.headers[name] as string) : undefined);
  return {
    contentType: header("content-type") ?? "binary/octet-stream",
    metadata,
    ...(header("cache-control") ? { cacheControl: header("cache-control") } : {}),
    ...(header("content-disposition") ? { contentDisposition: header("content-disposition") } : {}),
    ...(header("content-encoding") ? { contentEncoding: header("content-encoding") } : {}),
  };
}

function metadataHeaders(object: ObjectMeta): Record<string, string> {
  return Object.fromEntries(Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]));
}

function checksumHeader(checksum: ObjectMeta["checksum"]): Record<string, string> {
  return checksum ? { [`x-amz-checksum-${checksum.algorithm}`]: checksum.value } : {};
}

/** A single byte range as S3 reads it; undefined (whole object) when the header is absent or not understood. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, from = "", to = ""] = match;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) throw errors.invalidRange(size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) throw errors.invalidRange(size);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return undefined;
  return { start, end };
}

function boundedInt(value: string | null, fallback: number, min: number, max: number, name: string): number {
  if (value === null) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
  return Math.min(number, max);
}

/** S3 orders keys by their UTF-8 bytes. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function encodeToken(last: { key: string; prefix: boolean }) {
  return Buffer.from(JSON.stringify(last)).toString("base64url");
}

function decodeToken(token: string): { key: string; prefix: boolean } {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString()) as { key?: unknown; prefix?: unknown };
    if (typeof value.key === "string" && typeof value.prefix === "boolean") return { key: value.key, prefix: value.prefix };
  } catch {
    // fall through
  }
  throw errors.invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
}

function listen(server: Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
}

function close(server: Server) {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
