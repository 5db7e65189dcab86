import { randomUUID } from "node:crypto";
import type { VideoDto } from "@/lib/videos/dto";
import { expect, fileBytes, putPart, test } from "./world";

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const id = randomUUID();

// What an attacker or a broken client sends: forged cursors, odd numbers, odd ids, odd JSON.
const CURSORS = [
  b64(["-271821-04-20T00:00:00.000Z", "-".repeat(36)]),
  b64(["2026-01-01T00:00:00.000000Z", "-".repeat(36)]),
  b64(["-271821-04-20T00:00:00.000Z", id]),
  b64(["+275760-09-13T00:00:00.000Z", id]),
  b64(["2026-02-31T00:00:00.000000Z", id]),
  b64(["2026-01-01T25:00:00Z", id]),
  b64(["2026-01-01T00:00:00.1234567Z", id]),
  b64(["0000-01-01T00:00:00Z", id]),
  b64(["2026-01-01 00:00:00+14", id]),
  b64(["1e999", id]),
  b64([1e308, id]),
  b64([null, null]),
  b64({ createdAt: "2026-01-01T00:00:00Z", id }),
  b64(["2026-01-01T00:00:00Z", id.toUpperCase().replace(/-/g, "")]),
  b64(["2026-01-01T00:00:00Z", `${id}'; drop table videos; --`]),
  b64(["2026-01-01T00:00:00Z\u0000", id]),
  b64("[" + "[".repeat(5000)),
  "%00",
  "x".repeat(190),
  "====",
];
const LIMITS = ["0", "-1", "1.5", "1e3", "1e400", "NaN", "Infinity", "-0", "0x10", " 5", "99999999999999999999", "", "[]"];
const STATUSES = ["READY", "done", "", "%00", "ready,uploading"];
const IDS = ["not-a-uuid", "%00", "00000000-0000-0000-0000-000000000000", "-".repeat(36), "x".repeat(2000), "..%2F..%2Fetc", "%E2%80%AE", id.toUpperCase(), "'%20or%201=1--"];

const ODD_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 31,
  "",
  "\u0000",
  "\ud800",
  "x".repeat(70_000),
  [],
  [null],
  {},
  { __proto__: { admin: true } },
  Array.from({ length: 2000 }, () => ({})),
];

/** Bodies built from a valid one, one field at a time set to each odd value, plus whole odd bodies. */
function oddBodies(valid: Record<string, unknown>): unknown[] {
  const bodies: unknown[] = [...ODD_VALUES, "{", "[1,", '{"a":' + "[".repeat(3000)];
  const setAt = (target: Record<string, unknown>, keys: string[], value: unknown): Record<string, unknown> => {
    const [head, ...rest] = keys;
    if (!head) return target;
    const inner = target[head];
    return { ...target, [head]: rest.length && typeof inner === "object" && inner !== null ? setAt(inner as Record<string, unknown>, rest, value) : value };
  };
  const paths: string[][] = [];
  const collect = (value: unknown, prefix: string[]) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      paths.push([...prefix, key]);
      collect(inner, [...prefix, key]);
    }
  };
  collect(valid, []);
  for (const keys of paths) for (const value of ODD_VALUES) bodies.push(setAt(valid, keys, value));
  bodies.push({ ...valid, unexpected: "field" });
  return bodies;
}

const raw = (body: unknown) => (typeof body === "string" && /^[[{]/.test(body) ? body : JSON.stringify(body));

test.describe("odd input never reaches a 5xx", () => {
  test.setTimeout(180_000);

  test("list query parameters, forged cursors included", async ({ api, world }) => {
    const forged = await api.call("GET", `/courses/${world.courseId}/videos?cursor=${CURSORS[0]}`, { as: world.users.owner });
    expect(forged.status).toBe(400);
    expect(forged.body.error).toMatchObject({ code: "validation_error", details: { fieldErrors: { cursor: [expect.any(String)] } } });

    const queries = [
      ...CURSORS.map((cursor) => `cursor=${encodeURIComponent(cursor)}`),
      ...LIMITS.map((limit) => `limit=${encodeURIComponent(limit)}`),
      ...STATUSES.map((status) => `status=${encodeURIComponent(status)}`),
      ...IDS.map((lessonId) => `lessonId=${lessonId}`),
      "limit=1&limit=1000",
      "cursor=a&cursor=b",
      `${"q".repeat(5000)}=1`,
    ];
    for (const base of [`/courses/${world.courseId}/videos`, `/lessons/${world.lessonIds[0]}/videos`]) {
      for (const query of queries) {
        const response = await api.call("GET", `${base}?${query}`, { as: world.users.owner });
        expect(response.status, `${base}?${query}`).toBeLessThan(500);
      }
    }
  });

  test("path ids", async ({ api, world }) => {
    const paths = IDS.flatMap((bad) => [
      ["GET", `/videos/${bad}`],
      ["PATCH", `/videos/${bad}`],
      ["DELETE", `/videos/${bad}`],
      ["GET", `/videos/${bad}/parts`],
      ["POST", `/videos/${bad}/parts`],
      ["POST", `/videos/${bad}/complete`],
      ["POST", `/videos/${bad}/abort`],
      ["POST", `/videos/${bad}/reprocess`],
      ["POST", `/videos/${bad}/replace`],
      ["GET", `/videos/${bad}/media/hls/master.m3u8`],
      ["GET", `/courses/${bad}/videos`],
      ["GET", `/lessons/${bad}/videos`],
    ]);
    const body = { partNumbers: [1], parts: [{ partNumber: 1, etag: '"x"' }], title: "T", version: 1 };
    for (const [method, path] of paths) {
      const response = await api.call(method ?? "GET", path ?? "", { as: world.users.owner, ...(method === "GET" || method === "DELETE" ? {} : { body }) });
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
    }
  });

  test("request bodies of upload-init, parts, complete and edit", async ({ api, world }) => {
    const data = fileBytes(1000);
    const init = await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length });
    const upload = init.body.data;
    const { etag } = await putPart(upload.parts[0]?.url ?? "", data);
    const other = await api.init(world.users.owner, { courseId: world.courseId, fileSize: data.length, metadata: { title: "Edited" } });
    const video = await api.call<VideoDto>("GET", `/videos/${other.body.data.videoId}`, { as: world.users.owner });

    const cases: [string, string, Record<string, unknown>][] = [
      [
        "POST",
        "/videos/upload-init",
        {
          courseId: world.courseId,
          lessonId: world.lessonIds[0],
          filename: "a.mp4",
          fileSize: 1000,
          contentType: "video/mp4",
          metadata: { title: "T", description: "D", tags: ["a"], difficulty: "beginner", language: "en" },
        },
      ],
      ["POST", `/videos/${upload.videoId}/parts`, { partNumbers: [1], completed: [{ partNumber: 1, etag }] }],
      ["POST", `/videos/${upload.videoId}/complete`, { parts: [{ partNumber: 1, etag }] }],
      ["PATCH", `/videos/${video.body.data.id}`, { title: "T", description: "D", tags: ["a"], difficulty: "beginner", language: "en", lessonId: world.lessonIds[1], version: 1 }],
    ];
    let checked = 0;
    for (const [method, path, valid] of cases) {
      for (const body of oddBodies(valid)) {
        const response = await api.call(method, path, { as: world.users.instructor, body: raw(body), headers: { "content-type": "application/json" } });
        expect(response.status, `${method} ${path} ${raw(body).slice(0, 200)}`).toBeLessThan(500);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
