import { z } from "zod";
import { type CaptionKind, captionKinds, captionOrigins } from "./kinds";
import { CAPTION_FORMATS } from "./caption-file";

/** Shared by the caption routes, the player and the OpenAPI document. */

/** The canonical form of a well-formed BCP 47 tag (`en-us` → `en-US`), or undefined when it is not one. */
export function canonicalLanguage(value: string): string | undefined {
  if (value.length === 0 || value.length > 35) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical && canonical.length <= 35 ? canonical : undefined;
  } catch {
    return undefined;
  }
}

export const captionLanguageSchema = z
  .string()
  .transform((value, context) => {
    const canonical = canonicalLanguage(value);
    if (!canonical) {
      context.addIssue({ code: "custom", message: "Language must be a BCP 47 tag such as en, pt-BR or zh-Hant." });
      return z.NEVER;
    }
    return canonical;
  })
  .describe("BCP 47 language tag (well-formed; stored in canonical case, e.g. pt-BR)");

export const captionKindSchema = z.enum(captionKinds, { message: "kind must be captions or subtitles." });
export const captionOriginSchema = z.enum(captionOrigins);
export const captionFormatSchema = z.enum(CAPTION_FORMATS, { message: "format must be vtt or srt." });
const labelSchema = z
  .string()
  .trim()
  .min(1, "Label cannot be empty.")
  .max(100, "Label must be at most 100 characters.")
  .refine((value) => !value.includes("\u0000"), "Label must not contain NUL characters.");
const versionSchema = z.number().int().positive().describe("The track's version you read; a newer one on the server gets 409");

/** `PUT …/captions/:language` with a JSON body. */
export const putCaptionJsonSchema = z
  .object({
    format: captionFormatSchema,
    content: z.string().describe("The whole WebVTT or SRT file"),
    label: labelSchema.optional().describe("Shown in players' menus (default: the language's own name)"),
    kind: captionKindSchema.optional().describe("captions (default: dialogue and sounds, for viewers who cannot hear) or subtitles (a translation)"),
    version: versionSchema.optional(),
    reviewed: z
      .boolean()
      .optional()
      .describe("Whether a person has checked these captions (default: true for an uploaded file; an edit of a machine track keeps its state until marked reviewed)"),
  })
  .strict();

/** `PUT …/captions/:language` with a text/vtt or application/x-subrip body: the same options in the query. */
export const putCaptionQuerySchema = z
  .object({ label: labelSchema.optional(), kind: captionKindSchema.optional(), version: z.coerce.number().pipe(versionSchema).optional() })
  .strict();

export type CaptionUploadOptions = { label?: string; kind?: CaptionKind; version?: number; reviewed?: boolean };

export const captionIssueSchema = z.object({ line: z.number().int().nullable().describe("1-based line of the file; null for the whole file"), message: z.string() });

export const captionTrackDtoSchema = z.object({
  language: z.string(),
  label: z.string(),
  kind: captionKindSchema,
  origin: captionOriginSchema,
  reviewed: z.boolean(),
  cueCount: z.number().int(),
  version: z.number().int(),
  url: z.string().describe("The track as WebVTT"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CaptionTrackDto = z.infer<typeof captionTrackDtoSchema>;
