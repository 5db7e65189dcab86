import "server-only";
import { parseJson, parseQuery, readBodyBytes } from "@/lib/api/request";
import { AppError } from "@/lib/errors";
import type { CaptionUpload } from "./captions";
import { MAX_CAPTION_BYTES } from "./encoding";
import { putCaptionJsonSchema, putCaptionQuerySchema } from "./schemas";

/** JSON escapes (`\n`, `\"`, `\u…`) can make a file up to twice as long: the JSON body may be that much larger. */
const MAX_JSON_CAPTION_BYTES = 2 * MAX_CAPTION_BYTES + 64 * 1024;

const fileTooLarge = () => new AppError("file_too_large", `The caption file is larger than ${MAX_CAPTION_BYTES / 1024 / 1024} MB.`);

/**
 * The caption file of a `PUT …/captions/:language`: the body itself (`text/vtt`, `application/x-subrip`, with
 * label, kind and version in the query) or JSON `{format, content, label?, kind?, version?}`. Read with a limit.
 */
export async function readCaptionUpload(request: Request): Promise<CaptionUpload> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") {
    const { format, content, ...options } = await parseJson(request, putCaptionJsonSchema, { maxBytes: MAX_JSON_CAPTION_BYTES });
    return { format, content, options };
  }
  const format = type === "text/vtt" ? "vtt" : type === "application/x-subrip" ? "srt" : undefined;
  if (!format) {
    throw new AppError("unsupported_media_type", "Send the captions as text/vtt, application/x-subrip or application/json ({format, content, label?, kind?, version?}).");
  }
  const options = parseQuery(request, putCaptionQuerySchema);
  const content = await readBodyBytes(request, { maxBytes: MAX_CAPTION_BYTES, tooLarge: fileTooLarge });
  return { format, content, options };
}
