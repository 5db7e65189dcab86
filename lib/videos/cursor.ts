import type { VideoCursor } from "@/db/queries/videos";
import { AppError } from "@/lib/errors";
import { videoCursorSchema } from "./schemas";

/** The opaque `nextCursor` of a video page: the last row's created_at (to the microsecond) and id. */
export function encodeCursor(cursor: VideoCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url");
}

/** Only cursors this API could have given out: a real uuid and a sane time, to the microsecond. */
export function decodeCursor(cursor: string | undefined): VideoCursor | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  const parsed = videoCursorSchema.safeParse(value);
  if (!parsed.success) {
    throw AppError.validation("The cursor is not one this API gave out.", { fieldErrors: { cursor: ["invalid cursor"] } });
  }
  const [createdAt, id] = parsed.data;
  return { createdAt, id };
}
