import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { errors } from "./errors";

const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false });
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // Elements that may repeat are always arrays, even when there is one.
  isArray: (name) => ["Part", "Object", "CORSRule", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader"].includes(name),
});

export function xmlDocument(body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(body)}`;
}

/** A response document with S3's namespace on its root element. */
export function s3Document(root: string, content: Record<string, unknown>): string {
  return xmlDocument({ [root]: { "@_xmlns": S3_NAMESPACE, ...content } });
}

export function parseXml(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = parser.parse(text, true);
    if (typeof parsed !== "object" || parsed === null) throw errors.malformedXml();
    return parsed as Record<string, unknown>;
  } catch {
    throw errors.malformedXml();
  }
}

export const isoDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, ".000Z");
