import { z } from "zod";
import type { Connectivity } from "./connectivity";
import { isErrorBody } from "@/lib/errors";
import {
  type completedPartSchema,
  type ReplaceVideoInput,
  signedPartsResultSchema,
  type UploadInitInput,
  uploadedPartsResultSchema,
  uploadInitResultSchema,
  videoDtoSchema,
  type VideoMetadata,
} from "@/lib/videos/schemas";
import { UploadError } from "./errors";
import { parseRetryAfter, retrying, type RetryOptions } from "./retry";

export type { UploadInitInput, VideoMetadata };
export type CompletedPart = z.infer<typeof completedPartSchema>;

const data = <S extends z.ZodType>(schema: S) => z.object({ data: schema });
const initResponseSchema = data(uploadInitResultSchema);
const signPartsResponseSchema = data(signedPartsResultSchema);
const listPartsResponseSchema = data(uploadedPartsResultSchema);
// Only what the client relies on; the rest of the server's video passes through untouched.
const videoResponseSchema = data(videoDtoSchema.pick({ id: true, status: true }).loose());

export type UploadSession = z.infer<typeof uploadInitResultSchema>;
export type SignedParts = z.infer<typeof signedPartsResultSchema>;
export type StoredParts = z.infer<typeof uploadedPartsResultSchema>;
export type UploadedVideo = z.infer<typeof videoResponseSchema>["data"];

export type UploadApi = {
  init(input: { body: UploadInitInput; signal?: AbortSignal }): Promise<UploadSession>;
  /** A new source for an existing video: a session like init's, for the same video id. */
  replace(input: { videoId: string; body: ReplaceVideoInput; signal?: AbortSignal }): Promise<UploadSession>;
  signParts(input: { videoId: string; partNumbers: number[]; completed?: CompletedPart[]; signal?: AbortSignal }): Promise<SignedParts>;
  listParts(input: { videoId: string; signal?: AbortSignal }): Promise<StoredParts>;
  complete(input: { videoId: string; parts: CompletedPart[]; signal?: AbortSignal }): Promise<UploadedVideo>;
  abort(input: { videoId: string; signal?: AbortSignal }): Promise<UploadedVideo>;
};

export type ApiOptions = {
  /** Origin of the app, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** e.g. `{ authorization: "Bearer …" }`; browsers can rely on cookies instead. */
  headers?: Record<string, string>;
  retry?: RetryOptions;
  /** While it says offline, failed calls wait for the connection instead of spending retries. */
  connectivity?: Connectivity;
};

async function readError(response: Response): Promise<UploadError> {
  const body: unknown = await response.json().catch(() => undefined);
  const options = { status: response.status, retryAfterMs: parseRetryAfter({ value: response.headers.get("retry-after") }) };
  if (isErrorBody(body)) return new UploadError(body.error.code, body.error.message, { ...options, details: body.error.details });
  const status = [response.status, response.statusText].filter(Boolean).join(" ");
  return new UploadError("http_error", `The server answered ${status}.`, options);
}

/** A typed client for the upload endpoints of `/api/v1/education`; retries network errors, 5xx and 429. */
export function createUploadApi({ baseUrl, headers = {}, retry, connectivity }: ApiOptions): UploadApi {
  const root = `${baseUrl.replace(/\/+$/, "")}/api/v1/education/videos`;

  type Call<S> = { method: "GET" | "POST"; path: string; schema: S; body?: unknown; signal?: AbortSignal };
  async function call<S extends z.ZodType>({ method, path, schema, body, signal }: Call<S>): Promise<z.infer<S>> {
    const response = await retrying({
      retry,
      signal,
      connectivity,
      run: async () => {
        let response: Response;
        try {
          response = await fetch(`${root}${path}`, {
            method,
            signal,
            headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
        } catch (cause) {
          if (signal?.aborted) throw signal.reason;
          throw new UploadError("network_error", "Could not reach the server. Check your connection.", { status: 0, cause });
        }
        if (!response.ok) throw await readError(response);
        return response;
      },
    });
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new UploadError("invalid_response", `Unexpected response from ${method} ${path}.`, { status: response.status, details: parsed.error.issues });
    }
    return parsed.data;
  }

  const video = (id: string, action: string) => `/${encodeURIComponent(id)}/${action}`;
  return {
    init: async ({ body, signal }) => (await call({ method: "POST", path: "/upload-init", schema: initResponseSchema, body, signal })).data,
    replace: async ({ videoId, body, signal }) => (await call({ method: "POST", path: video(videoId, "replace"), schema: initResponseSchema, body, signal })).data,
    signParts: async ({ videoId, partNumbers, completed, signal }) => {
      const body = { partNumbers, ...(completed?.length ? { completed } : {}) };
      return (await call({ method: "POST", path: video(videoId, "parts"), schema: signPartsResponseSchema, body, signal })).data;
    },
    listParts: async ({ videoId, signal }) => (await call({ method: "GET", path: video(videoId, "parts"), schema: listPartsResponseSchema, signal })).data,
    complete: async ({ videoId, parts, signal }) =>
      (await call({ method: "POST", path: video(videoId, "complete"), schema: videoResponseSchema, body: { parts }, signal })).data,
    abort: async ({ videoId, signal }) => (await call({ method: "POST", path: video(videoId, "abort"), schema: videoResponseSchema, body: {}, signal })).data,
  };
}
