import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import type postgres from "postgres";
import { createStorage, type Storage } from "@/lib/storage/storage";
import type { VideoDto } from "@/lib/videos/dto";
import { e2eStack } from "../e2e-stack";
import { test as base } from "../fixtures";

export type Role = "owner" | "instructor" | "editor" | "viewer";
export type Member = { id: string; email: string; token: string };

/** A fresh course of its own for one test: lessons, one member per role, an outsider, and their API tokens. */
export type World = {
  courseId: string;
  lessonIds: [string, string];
  otherLessonId: string;
  users: Record<Role | "outsider", Member>;
};

/** The part size a user gets: the server's default UPLOAD_PART_SIZE (the e2e stack does not change it). */
const E2E_PART = 8 * 1024 * 1024;

async function createWorld(sql: postgres.Sql): Promise<World> {
  const tag = randomUUID().slice(0, 8);
  const courseId = randomUUID();
  const otherCourseId = randomUUID();
  const lessonIds: [string, string] = [randomUUID(), randomUUID()];
  const otherLessonId = randomUUID();
  await sql`insert into courses (id, title) values (${courseId}, ${`Course ${tag}`}), (${otherCourseId}, ${`Other ${tag}`})`;
  await sql`insert into lessons (id, course_id, title, position) values
    (${lessonIds[0]}, ${courseId}, 'One', 1), (${lessonIds[1]}, ${courseId}, 'Two', 2), (${otherLessonId}, ${otherCourseId}, 'Elsewhere', 1)`;
  const users = {} as World["users"];
  for (const role of ["owner", "instructor", "editor", "viewer", "outsider"] as const) {
    const id = randomUUID();
    const email = `${role}-${tag}@example.com`;
    const token = `lct_${randomBytes(32).toString("base64url")}`;
    await sql`insert into users (id, email, name) values (${id}, ${email}, ${role})`;
    await sql`insert into api_tokens (user_id, name, token_hash) values (${id}, 'e2e', ${createHash("sha256").update(token).digest("hex")})`;
    if (role === "outsider") await sql`insert into course_members (course_id, user_id, role) values (${otherCourseId}, ${id}, 'owner')`;
    else await sql`insert into course_members (course_id, user_id, role) values (${courseId}, ${id}, ${role})`;
    users[role] = { id, email, token };
  }
  return { courseId, lessonIds, otherLessonId, users };
}

export type InitData = {
  videoId: string;
  uploadId: string;
  storageKey: string;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; url: string }[];
  expiresAt: string;
};

export type ApiBody<T> = {
  data: T;
  nextCursor?: string | null;
  error?: { code: string; message: string; details?: Record<string, unknown> };
};

/** Calls our API as a member (or anonymously) and returns status, headers and the parsed body. */
export function apiClient(request: APIRequestContext) {
  const call = async <T = unknown>(
    method: string,
    path: string,
    options: { as?: Member; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response: APIResponse = await request.fetch(`/api/v1/education${path}`, {
      method,
      headers: { ...(options.as ? { authorization: `Bearer ${options.as.token}` } : {}), ...options.headers },
      // A string is sent as raw bytes (e.g. malformed JSON); anything else as JSON.
      ...(options.body === undefined ? {} : { data: typeof options.body === "string" ? Buffer.from(options.body) : options.body }),
    });
    const text = await response.text();
    return { status: response.status(), headers: response.headers(), body: (text ? JSON.parse(text) : {}) as ApiBody<T> };
  };

  /** upload-init for a file of `fileSize` bytes, with sensible defaults for everything else. */
  const init = (as: Member, input: { courseId: string; fileSize: number } & Record<string, unknown>) =>
    call<InitData>("POST", "/videos/upload-init", {
      as,
      body: { filename: "lesson.mp4", contentType: "video/mp4", metadata: { title: "A lesson" }, ...input },
    });

  /** Uploads every part of `data` to the URLs of an init (signing any it lacks), then completes. */
  const uploadAll = async (as: Member, upload: InitData, data: Uint8Array<ArrayBuffer>) => {
    const urls = new Map(upload.parts.map((part) => [part.partNumber, part.url]));
    const missing = Array.from({ length: upload.partCount }, (_, index) => index + 1).filter((n) => !urls.has(n));
    if (missing.length) {
      const signed = await call<{ parts: { partNumber: number; url: string }[] }>("POST", `/videos/${upload.videoId}/parts`, {
        as,
        body: { partNumbers: missing },
      });
      for (const part of signed.body.data.parts) urls.set(part.partNumber, part.url);
    }
    const parts = [];
    for (let partNumber = 1; partNumber <= upload.partCount; partNumber++) {
      const { etag } = await putPart(urls.get(partNumber) ?? "", slicePart(data, partNumber, upload.partSize));
      parts.push({ partNumber, etag });
    }
    return call<VideoDto>("POST", `/videos/${upload.videoId}/complete`, { as, body: { parts } });
  };

  return { call, init, uploadAll };
}

/** PUTs a part to its presigned URL the way a browser does; returns the part's ETag. */
export async function putPart(url: string, body: Uint8Array<ArrayBuffer>) {
  const response = await fetch(url, { method: "PUT", body });
  return { status: response.status, etag: response.headers.get("etag") ?? "", text: response.ok ? "" : await response.text() };
}

/** Deterministic file contents: `size` bytes that differ from part to part. */
export function fileBytes(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return data;
}

export const slicePart = (data: Uint8Array<ArrayBuffer>, partNumber: number, partSize: number) =>
  data.subarray((partNumber - 1) * partSize, partNumber * partSize);

export const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

// Built on the suite's fixtures, which own the worker's database connection (`sql`).
export const test = base.extend<{ world: World; api: ReturnType<typeof apiClient> }, { storage: Storage }>({
  storage: [
    async ({}, use) => {
      const env = e2eStack().storage;
      const storage = createStorage({
        endpoint: env.STORAGE_ENDPOINT,
        region: env.STORAGE_REGION,
        bucket: env.STORAGE_BUCKET,
        credentials: { accessKeyId: env.STORAGE_ACCESS_KEY, secretAccessKey: env.STORAGE_SECRET_KEY },
        forcePathStyle: true,
        provider: "local",
      });
      await use(storage);
      storage.destroy();
    },
    { scope: "worker" },
  ],
  world: async ({ sql }, use) => use(await createWorld(sql)),
  api: async ({ request }, use) => use(apiClient(request)),
});

export { E2E_PART };
export { expect } from "@playwright/test";
