import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { storage } from "@/lib/storage";
import { initUpload } from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";
import { listMultipartUploads } from "../helpers/multipart-uploads";

const { sql, close } = testDatabase();
afterAll(close);

describe("upload-init's per-user rate limit", () => {
  it("holds against a parallel burst: exactly the limit start, the rest get 429 and leave no multipart upload behind", async () => {
    const courseId = randomUUID();
    const userId = randomUUID();
    await sql`insert into courses (id, title) values (${courseId}, 'Burst')`;
    await sql`insert into users (id, email) values (${userId}, ${`burst-${userId}@example.com`})`;
    await sql`insert into course_members (course_id, user_id, role) values (${courseId}, ${userId}, 'owner')`;

    const limit = env.UPLOAD_INIT_RATE_LIMIT;
    const burst = limit + 6;
    const results = await Promise.allSettled(
      Array.from({ length: burst }, (_, index) =>
        initUpload({
          actor: { id: userId },
          input: { courseId, filename: `burst-${index}.mp4`, fileSize: 1000, contentType: "video/mp4", metadata: { title: `Burst ${index}` } },
        }),
      ),
    );
    const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(limit);
    expect(refused).toHaveLength(burst - limit);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(AppError);
      expect(reason).toMatchObject({ code: "rate_limited", status: 429, headers: { "retry-after": expect.stringMatching(/^\d+$/) } });
    }
    const [rows] = await sql<{ count: number }[]>`select count(*)::int as count from videos where uploaded_by = ${userId}`;
    expect(rows?.count).toBe(limit);
    // Only the started uploads hold a multipart upload in storage.
    const open = await listMultipartUploads(storage, { prefix: `videos/${courseId}/` });
    expect(open).toHaveLength(limit);
  });
});
