import type postgres from "postgres";
import { signInWithCookie } from "./session";
import { expect, test } from "./world";

const FOREIGN = "https://evil.example";
const initBody = (courseId: string) =>
  JSON.stringify({ courseId, filename: "lesson.mp4", fileSize: 1234, contentType: "video/mp4", metadata: { title: "Forged" } });

test.describe("cross-site requests with the session cookie", () => {
  test.beforeEach(async ({ request, sql, world }) => {
    await signInWithCookie({ request, sql, member: world.users.owner });
  });

  const videosOf = async (sql: postgres.Sql, courseId: string) =>
    (await sql<{ id: string; status: string }[]>`select id, status from videos where course_id = ${courseId}`).map((row) => row.status);

  test("a text/plain body from a foreign Origin starts no upload (403 cross_site_request)", async ({ api, world, sql }) => {
    const forged = await api.call("POST", "/videos/upload-init", {
      body: initBody(world.courseId),
      headers: { origin: FOREIGN, "content-type": "text/plain" },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error).toMatchObject({ code: "cross_site_request", message: expect.any(String) });
    // The form a cross-site page could post, and a no-cors fetch marked as such by the browser.
    const variants: Record<string, string>[] = [
      { origin: FOREIGN, "content-type": "application/x-www-form-urlencoded" },
      { "sec-fetch-site": "cross-site", "content-type": "text/plain" },
      { origin: FOREIGN, "sec-fetch-site": "cross-site", "content-type": "application/json" },
    ];
    for (const headers of variants) {
      const response = await api.call("POST", "/videos/upload-init", { body: initBody(world.courseId), headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.body.error?.code).toBe("cross_site_request");
    }
    expect(await videosOf(sql, world.courseId)).toEqual([]);
  });

  test("a body-less POST /abort, PATCH and DELETE from a foreign Origin change nothing", async ({ api, world, sql }) => {
    const init = await api.init(world.users.owner, { courseId: world.courseId, fileSize: 1234 });
    const { videoId } = init.body.data;
    for (const [method, path, body] of [
      ["POST", `/videos/${videoId}/abort`, undefined],
      ["POST", `/videos/${videoId}/reprocess`, undefined],
      ["DELETE", `/videos/${videoId}`, undefined],
      ["PATCH", `/videos/${videoId}`, JSON.stringify({ title: "Defaced", version: 1 })],
    ] as const) {
      const response = await api.call(method, path, { body, headers: { origin: FOREIGN, ...(body ? { "content-type": "application/json" } : {}) } });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error?.code).toBe("cross_site_request");
    }
    const [row] = await sql<{ status: string; title: string; deleted_at: Date | null }[]>`select status, title, deleted_at from videos where id = ${videoId}`;
    expect(row).toEqual({ status: "uploading", title: "A lesson", deleted_at: null });
  });

  test("a state-changing request needs an Origin or Sec-Fetch-Site, and JSON where it has a body", async ({ api, world, baseURL }) => {
    const noOrigin = await api.call("POST", "/videos/upload-init", { body: initBody(world.courseId), headers: { "content-type": "application/json" } });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.error?.code).toBe("cross_site_request");
    const sameOriginText = await api.call("POST", "/videos/upload-init", {
      body: initBody(world.courseId),
      headers: { origin: baseURL ?? "", "content-type": "text/plain;charset=UTF-8" },
    });
    expect(sameOriginText.status).toBe(403);
    expect(sameOriginText.body.error?.code).toBe("cross_site_request");
  });

  test("the app's own requests (same Origin, JSON) still work, and reads need no Origin", async ({ api, world, baseURL, sql }) => {
    const sameOrigin = { origin: baseURL ?? "", "sec-fetch-site": "same-origin" };
    const init = await api.call<{ videoId: string }>("POST", "/videos/upload-init", {
      body: initBody(world.courseId),
      headers: { ...sameOrigin, "content-type": "application/json" },
    });
    expect(init.status).toBe(201);
    // Sec-Fetch-Site alone (an Origin-less browser request) is enough too.
    const list = await api.call("GET", `/courses/${world.courseId}/videos`, { headers: { origin: FOREIGN } });
    expect(list.status).toBe(200);
    const abort = await api.call("POST", `/videos/${init.body.data.videoId}/abort`, { headers: { "sec-fetch-site": "same-origin" } });
    expect(abort.status).toBe(200);
    expect(await videosOf(sql, world.courseId)).toEqual(["aborted"]);
  });

  test("bearer tokens are unaffected by Origin and content type", async ({ api, world }) => {
    const init = await api.call("POST", "/videos/upload-init", {
      as: world.users.owner,
      body: initBody(world.courseId),
      headers: { origin: FOREIGN, "sec-fetch-site": "cross-site", "content-type": "text/plain" },
    });
    expect(init.status).toBe(201);
  });
});
