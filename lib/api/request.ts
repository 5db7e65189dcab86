import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";

export const MAX_JSON_BYTES = 64 * 1024;

/** Zod issues as `{ fieldErrors: { "metadata.title": ["…"] } }`. */
export function validationError(error: z.ZodError, message = "Some fields are invalid."): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "(body)";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return AppError.validation(message, { fieldErrors });
}

/** Reads a JSON body of at most 64 KB (or `maxBytes`) and validates it. */
export async function parseJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  { maxBytes = MAX_JSON_BYTES }: { maxBytes?: number } = {},
): Promise<z.infer<Schema>> {
  const text = Buffer.from(await readBodyBytes(request, { maxBytes, tooLarge: () => tooLarge(maxBytes) })).toString("utf8");
  let value: unknown;
  try {
    value = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  if (value === undefined) throw new AppError("bad_request", "The request needs a JSON body.");
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Validates the query string. */
export function parseQuery<Schema extends z.ZodType>(request: Request, schema: Schema): z.infer<Schema> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error, "Some query parameters are invalid.");
  return parsed.data;
}

/**
 * The body's bytes, refused with `tooLarge()` as soon as it declares or sends more than `maxBytes`: never read
 * unbounded.
 */
export async function readBodyBytes(request: Request, { maxBytes, tooLarge }: { maxBytes: number; tooLarge: () => AppError }): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (maxBytes: number) => new AppError("payload_too_large", `The request body is larger than ${maxBytes / 1024} KB.`);
