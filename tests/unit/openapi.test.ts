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

  it("only refers to schemas it defines", () => {
    const refs = JSON.stringify(document).match(/#\/components\/schemas\/(\w+)/g) ?? [];
    for (const ref of refs) expect(document.components.schemas).toHaveProperty(ref.split("/").at(-1) ?? "");
  });
});
