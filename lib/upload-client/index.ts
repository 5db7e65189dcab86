export { createUploadApi, type ApiOptions, type CompletedPart, type UploadApi, type UploadedVideo, type UploadInitInput, type VideoMetadata } from "./api";
export { UploadError } from "./errors";
export { backoffDelay, parseRetryAfter, type RetryOptions } from "./retry";
export { blobSource, createUpload, partLength, type CreateUploadOptions, type UploadHandle, type UploadProgress, type UploadSource, type UploadStarted } from "./uploader";
export { withInitsInOrder } from "./inits-in-order";
export { alwaysOnline, browserConnectivity, type Connectivity } from "./connectivity";
