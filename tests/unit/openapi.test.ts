import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

describe("OpenAPI document", () => {
  const document = openApiDocument();

  it("describes every route with JSON Schemas generated from the zod schemas", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/videos/upload-init", "/videos/{id}/parts", "/videos/{id}/complete", "/videos/{id}/abort", "/videos/{id}", "/courses/{courseId}/videos", "/lessons/{lessonId}/videos", "/videos/{id}/processing-status"]),
    );
    const init = document.components.schemas.UploadInitRequest as { required?: string[]; properties?: Record<string, { maximum?: number }> };
    expect(init.required).toEqual(expect.arrayContaining(["courseId", "filename", "fileSize", "contentType", "metadata"]));
    const video = document.components.schemas.Video as { properties?: Record<string, unknown> };
    expect(Object.keys(video.properties ?? {})).toEqual(expect.arrayContaining(["id", "status", "upload", "processing", "metadata", "version"]));
  });

  it("only refers to schemas it defines", () => {
    const refs = JSON.stringify(document).match(/#\/components\/schemas\/(\w+)/g) ?? [];
    for (const ref of refs) expect(document.components.schemas).toHaveProperty(ref.split("/").at(-1) ?? "");
  });
});
