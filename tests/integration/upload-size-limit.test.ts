import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { formatBytes } from "@/lib/format-bytes";
import { initUpload } from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();
afterAll(close);

describe("upload-init's size limit", () => {
  it("is refused in the same words the upload form uses for the limit", async () => {
    const courseId = randomUUID();
    const userId = randomUUID();
    await sql`insert into courses (id, title) values (${courseId}, 'Limit')`;
    await sql`insert into users (id, email) values (${userId}, ${`limit-${userId}@example.com`})`;
    await sql`insert into course_members (course_id, user_id, role) values (${courseId}, ${userId}, 'owner')`;

    const fileSize = env.MAX_UPLOAD_BYTES + 1;
    const refused = initUpload({
      actor: { id: userId },
      input: { courseId, filename: "huge.mp4", fileSize, contentType: "video/mp4", metadata: { title: "Huge" } },
    });
    await expect(refused).rejects.toMatchObject({
      code: "file_too_large",
      status: 413,
      message: `Videos can be at most ${formatBytes(env.MAX_UPLOAD_BYTES)}.`,
      details: { maxBytes: env.MAX_UPLOAD_BYTES, fileSize },
    });
  });
});
