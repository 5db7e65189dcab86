import { xmlDocument } from "./xml";

/** An S3 error: its code, HTTP status and message, sent as S3's XML error body. */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extra: Record<string, string | number> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(resource: string, requestId: string): string {
    return xmlDocument({
      Error: { Code: this.code, Message: this.message, ...this.extra, Resource: resource, RequestId: requestId },
    });
  }
}

export const errors = {
  accessDenied: (message = "Access Denied") => new S3Error("AccessDenied", message, 403),
  expired: (expires: string, now: string) =>
    new S3Error("AccessDenied", "Request has expired", 403, { Expires: expires, ServerTime: now }),
  signatureMismatch: () =>
    new S3Error(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      403,
    ),
  invalidAccessKey: (accessKeyId: string) =>
    new S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403, {
      AWSAccessKeyId: accessKeyId,
    }),
  authorizationMalformed: (message: string) => new S3Error("AuthorizationHeaderMalformed", message, 400),
  authorizationQueryMalformed: (message: string) => new S3Error("AuthorizationQueryParametersError", message, 400),
  timeSkewed: () => new S3Error("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", 403),
  noSuchBucket: (bucket: string) => new S3Error("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: bucket }),
  bucketExists: (bucket: string) =>
    new S3Error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409, {
      BucketName: bucket,
    }),
  invalidBucketName: (bucket: string) => new S3Error("InvalidBucketName", "The specified bucket is not valid.", 400, { BucketName: bucket }),
  noSuchKey: (key: string) => new S3Error("NoSuchKey", "The specified key does not exist.", 404, { Key: key }),
  noSuchUpload: (uploadId: string) =>
    new S3Error(
      "NoSuchUpload",
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
      404,
      { UploadId: uploadId },
    ),
  noSuchCors: (bucket: string) =>
    new S3Error("NoSuchCORSConfiguration", "The CORS configuration does not exist", 404, { BucketName: bucket }),
  invalidPart: (message = "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.") =>
    new S3Error("InvalidPart", message, 400),
  invalidPartOrder: () =>
    new S3Error("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", 400),
  entityTooSmall: (partNumber: number, size: number) =>
    new S3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", 400, {
      ProposedSize: size,
      MinSizeAllowed: 5 * 1024 * 1024,
      PartNumber: partNumber,
    }),
  entityTooLarge: (size: number, max: number) =>
    new S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400, { ProposedSize: size, MaxSizeAllowed: max }),
  badDigest: (what: string) => new S3Error("BadDigest", `The ${what} you specified did not match the calculated checksum.`, 400),
  invalidDigest: (what: string) => new S3Error("InvalidDigest", `The ${what} you specified is not valid.`, 400),
  sha256Mismatch: () =>
    new S3Error("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400),
  incompleteBody: () => new S3Error("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", 400),
  missingContentLength: () => new S3Error("MissingContentLength", "You must provide the Content-Length HTTP header.", 411),
  malformedXml: () =>
    new S3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", 400),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error("InvalidArgument", message, 400, name ? { ArgumentName: name, ArgumentValue: value ?? "" } : {}),
  invalidRequest: (message: string) => new S3Error("InvalidRequest", message, 400),
  invalidRange: (size: number) =>
    new S3Error("InvalidRange", "The requested range is not satisfiable", 416, { ActualObjectSize: size }, { "content-range": `bytes */${size}` }),
  preconditionFailed: (condition: string) =>
    new S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, { Condition: condition }),
  invalidUri: () => new S3Error("InvalidURI", "Couldn't parse the specified URI.", 400),
  methodNotAllowed: () => new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", 405),
  notImplemented: (what: string) => new S3Error("NotImplemented", `${what} is not implemented by the local store.`, 501),
  corsForbidden: (message: string) => new S3Error("AccessForbidden", `CORSResponse: ${message}`, 403),
  internal: () => new S3Error("InternalError", "We encountered an internal error. Please try again.", 500),
};
