import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { errors } from "./errors";

export type Credentials = { accessKeyId: string; secretAccessKey: string };

type Options = { credentials: Credentials[]; regions: string[] };

/** What a verified request declared about its payload. */
export type Authenticated = { accessKeyId: string; payloadHash: string };

const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;
const sha256 = Hash.bind(null, "sha256");

/**
 * Verifies AWS Signature Version 4, in the Authorization header or in a
 * presigned URL's query, by recomputing it with the AWS SDK's own signer from
 * exactly what the client signed: method, raw path, query and signed headers.
 */
export async function verifySignature(request: IncomingMessage, rawPath: string, query: URLSearchParams, options: Options): Promise<Authenticated> {
  const header = request.headers.authorization;
  if (header) return verifyHeader(request, rawPath, query, header, options);
  if (query.has("X-Amz-Signature")) return verifyPresigned(request, rawPath, query, options);
  if (query.has("Signature") || header?.startsWith("AWS ")) throw errors.invalidRequest("Signature Version 2 is not supported; use AWS4-HMAC-SHA256.");
  throw errors.accessDenied();
}

async function verifyHeader(request: IncomingMessage, rawPath: string, query: URLSearchParams, header: string, options: Options) {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) throw errors.authorizationMalformed("The authorization header is malformed.");
  const [, credential = "", signedHeaders = "", signature = ""] = match;
  const scope = parseScope(credential, options, errors.authorizationMalformed);
  const amzDate = single(request.headers["x-amz-date"]) ?? "";
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) throw errors.accessDenied("AWS authentication requires a valid Date or x-amz-date header");
  if (Math.abs(Date.now() - signingDate.getTime()) > MAX_SKEW_MS) throw errors.timeSkewed();
  const payloadHash = single(request.headers["x-amz-content-sha256"]);
  if (!payloadHash) throw errors.invalidRequest("Missing required header for this request: x-amz-content-sha256");

  const signer = new SignatureV4({ service: "s3", region: scope.region, credentials: scope.credentials, sha256, uriEscapePath: false, applyChecksum: false });
  const signed = await signer.sign(
    {
      method: request.method ?? "GET",
      protocol: "http:",
      hostname: "",
      path: rawPath,
      query: queryObject(query),
      headers: pickHeaders(request, signedHeaders.split(";")),
    },
    { signingDate, signingRegion: scope.region, signingService: "s3" },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization))?.[1] ?? "";
  if (!sameSignature(expected, signature)) throw errors.signatureMismatch();
  return { accessKeyId: scope.credentials.accessKeyId, payloadHash };
}

async function verifyPresigned(request: IncomingMessage, rawPath: string, query: URLSearchParams, options: Options) {
  if (query.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") {
    throw errors.authorizationQueryMalformed("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  const scope = parseScope(query.get("X-Amz-Credential") ?? "", options, errors.authorizationQueryMalformed);
  const amzDate = query.get("X-Amz-Date") ?? "";
  const signingDate = parseAmzDate(amzDate);
  const expiresIn = Number(query.get("X-Amz-Expires"));
  if (!signingDate) throw errors.authorizationQueryMalformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_SECONDS) {
    throw errors.authorizationQueryMalformed("X-Amz-Expires must be between 1 and 604800 seconds");
  }
  const expiresAt = new Date(signingDate.getTime() + expiresIn * 1000);
  if (Date.now() > expiresAt.getTime()) {
    throw errors.expired(expiresAt.toISOString(), new Date().toISOString());
  }

  const signedHeaders = (query.get("X-Amz-SignedHeaders") ?? "").split(";").filter(Boolean);
  const unsigned = new URLSearchParams(query);
  unsigned.delete("X-Amz-Signature");
  const payloadHash = query.get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD";
  const headers = { ...pickHeaders(request, signedHeaders), "x-amz-content-sha256": payloadHash };
  // Keep every signed header where the client had it, and use the payload hash without signing it as a header.
  const keepInPlace = new Set([...signedHeaders, "x-amz-content-sha256"]);
  const signer = new SignatureV4({ service: "s3", region: scope.region, credentials: scope.credentials, sha256, uriEscapePath: false, applyChecksum: false });
  const presigned = await signer.presign(
    { method: request.method ?? "GET", protocol: "http:", hostname: "", path: rawPath, query: queryObject(unsigned), headers },
    {
      signingDate,
      expiresIn,
      signingRegion: scope.region,
      signingService: "s3",
      unhoistableHeaders: keepInPlace,
      unsignableHeaders: new Set(["x-amz-content-sha256"]),
    },
  );
  const expected = String(presigned.query?.["X-Amz-Signature"] ?? "");
  if (!sameSignature(expected, query.get("X-Amz-Signature") ?? "")) throw errors.signatureMismatch();
  return { accessKeyId: scope.credentials.accessKeyId, payloadHash };
}

function parseScope(credential: string, options: Options, malformed: (message: string) => Error) {
  const [accessKeyId = "", date, region = "", service, terminator] = credential.split("/");
  if (!date || !service || terminator !== "aws4_request") throw malformed(`The credential scope is malformed: ${credential}`);
  const credentials = options.credentials.find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!credentials) throw errors.invalidAccessKey(accessKeyId);
  if (service !== "s3") throw malformed(`The credential scope names service '${service}'; expecting 's3'`);
  if (!options.regions.includes(region)) {
    throw malformed(`The authorization header is malformed; the region '${region}' is wrong; expecting '${options.regions[0]}'`);
  }
  return { credentials, region };
}

function pickHeaders(request: IncomingMessage, names: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name.toLowerCase()];
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    result[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return result;
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}

function sameSignature(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
