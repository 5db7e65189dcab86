import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

describe("OpenAPI document", () => {
  const document = openApiDocument();

  it("describes every route with JSON Schemas generated from the zod schemas", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/videos/upload-init", "/videos/{id}/parts", "/videos/{id}/complete", "/videos/{id}/abort", "/videos/{id}", "/courses/{courseId}/videos", "/lessons/{lessonId}/videos", "/videos/{id}/processing-status", "/videos/{id}/captions", "/videos/{id}/captions/{language}", "/videos/{id}/chapters"]),
    );
    const init = document.components.schemas.UploadInitRequest as { required?: string[]; properties?: Record<string, { maximum?: number }> };
    expect(init.required).toEqual(expect.arrayContaining(["courseId", "filename", "fileSize", "contentType", "metadata"]));
    const video = document.components.schemas.Video as { properties?: Record<string, unknown> };
    expect(Object.keys(video.properties ?? {})).toEqual(expect.arrayContaining(["id", "status", "upload", "processing", "metadata", "version"]));
  });

  it("documents the playable status and what a playable video has published", () => {
    const video = document.components.schemas.Video as { properties?: Record<string, { enum?: string[]; properties?: Record<string, unknown>; description?: string }> };
    expect(video.properties?.status?.enum).toEqual(["uploading", "uploaded", "processing", "playable", "ready", "failed", "aborted"]);
    expect(video.properties?.status?.description).toContain("playable");
    expect(Object.keys(video.properties?.playback?.properties ?? {})).toEqual(["watchable", "improving"]);
  });

  it("describes the token routes under /api/v1", () => {
    const paths = document.paths as Record<string, { servers?: { url: string }[]; get?: unknown; post?: unknown; delete?: unknown }>;
    expect(paths["/tokens"]).toMatchObject({ servers: [{ url: "/api/v1" }], get: expect.any(Object), post: expect.any(Object) });
    expect(paths["/tokens/{id}"]).toMatchObject({ servers: [{ url: "/api/v1" }], delete: expect.any(Object) });
    const request = document.components.schemas.CreateApiTokenRequest as { required?: string[]; properties?: Record<string, unknown> };
    expect(request.required).toEqual(["name"]);
    expect(Object.keys(request.properties ?? {})).toEqual(["name", "expiresInDays"]);
    const token = document.components.schemas.ApiToken as { properties?: Record<string, unknown> };
    expect(Object.keys(token.properties ?? {})).toEqual(expect.arrayContaining(["id", "name", "status", "createdAt", "lastUsedAt", "expiresAt", "revokedAt"]));
    expect(Object.keys(token.properties ?? {})).not.toContain("token");
    expect(Object.keys((document.components.schemas.CreatedApiToken as { properties?: object }).properties ?? {})).toContain("token");
  });

  it("describes the admin route under /api/v1, with the 409 for a taken address", () => {
    const paths = document.paths as Record<string, { servers?: { url: string }[]; post?: { responses?: Record<string, unknown> } }>;
    expect(paths["/admin/users"]).toMatchObject({ servers: [{ url: "/api/v1" }], post: expect.any(Object) });
    expect(Object.keys(paths["/admin/users"]?.post?.responses ?? {})).toEqual(expect.arrayContaining(["201", "403", "409"]));
    const request = document.components.schemas.CreateUserRequest as { required?: string[]; properties?: Record<string, unknown> };
    expect(request.required).toEqual(["email", "name"]);
    expect(Object.keys(request.properties ?? {})).toEqual(["email", "name", "password"]);
  });

  it("describes the member and invitation routes", () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/courses/{courseId}/members", "/courses/{courseId}/members/{userId}", "/courses/{courseId}/invitations", "/courses/{courseId}/invitations/bulk", "/invitations/{id}", "/invitations/accept"]),
    );
    const invitation = document.components.schemas.Invitation as { properties?: Record<string, unknown> };
    expect(Object.keys(invitation.properties ?? {})).toEqual(expect.arrayContaining(["id", "email", "role", "expiresAt", "url"]));
    const bulk = document.components.schemas.BulkInviteRequest as { properties?: Record<string, { maxItems?: number }> };
    expect(bulk.properties?.emails?.maxItems).toBe(500);
  });

  it("describes the course workspace routes", () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/courses",
        "/courses/{courseId}",
        "/courses/{courseId}/archive",
        "/courses/{courseId}/restore",
        "/courses/{courseId}/lessons",
        "/courses/{courseId}/lessons/order",
        "/lessons/{lessonId}",
        "/lessons/{lessonId}/videos/order",
      ]),
    );
    const paths = document.paths as Record<string, Record<string, unknown>>;
    expect(paths["/courses"]).toMatchObject({ get: expect.any(Object), post: expect.any(Object) });
    expect((document.components.schemas.UpdateCourseRequest as { required?: string[] }).required).toEqual(["version"]);
  });

  it("describes the watch, progress and analytics routes", () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/videos/{id}/watch", "/videos/{id}/progress", "/videos/{id}/analytics", "/courses/{courseId}/progress"]));
    const batch = document.components.schemas.WatchBatch as { required?: string[] };
    expect(batch.required).toEqual(expect.arrayContaining(["sessionId", "sequence", "position", "intervals", "playbackRate"]));
    const analytics = document.components.schemas.VideoAnalytics as { properties?: Record<string, unknown> };
    expect(Object.keys(analytics.properties ?? {})).toEqual(expect.arrayContaining(["views", "uniqueViewers", "watchSeconds", "averageShareWatched", "completionRate", "retention"]));
  });

  it("only refers to schemas it defines", () => {
    const refs = JSON.stringify(document).match(/#\/components\/schemas\/(\w+)/g) ?? [];
    for (const ref of refs) expect(document.components.schemas).toHaveProperty(ref.split("/").at(-1) ?? "");
  });
});
